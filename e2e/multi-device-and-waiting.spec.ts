import { expect, test } from './support/fixtures';
import { callPerson, expectConnected, incomingDialog } from './support/call-helpers';
import { mediaGrowth } from './support/media-stats';
import { saveScreenshot } from './support/screenshots';

test('signed in twice: both ring, answering on one stops the other within a second', async ({ newUser, openPhone }, testInfo) => {
  const bobUser = await newUser('bob');
  const alice = await openPhone(await newUser('alice'));
  const bobDesk = await openPhone(bobUser);
  const bobLaptop = await openPhone(bobUser);
  await callPerson(alice.page, bobUser.displayName);
  await expect(incomingDialog(bobDesk.page, alice.displayName)).toBeVisible();
  await expect(incomingDialog(bobLaptop.page, alice.displayName)).toBeVisible();

  const answeredAt = Date.now();
  await bobDesk.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(incomingDialog(bobLaptop.page, alice.displayName)).toBeHidden({ timeout: 1_000 });
  testInfo.annotations.push({ type: 'ring stopped on the other device after', description: `${Date.now() - answeredAt} ms` });
  await expect(bobLaptop.page).toHaveTitle('Softphone');
  await expectConnected(alice.page, bobDesk.page);
  await expect(bobLaptop.page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bobDesk.page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
});

test('call waiting: decline, hold and answer (both see on hold, media pauses), resume, end and answer', async ({ newUser, openPhone }, testInfo) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  const carol = await openPhone(await newUser('carol'));

  await callPerson(bob.page, alice.displayName);
  await alice.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(alice.page, bob.page);

  // 1. A second call during the first: decline it; the first call carries on.
  await callPerson(carol.page, alice.displayName);
  const waiting = incomingDialog(alice.page, carol.displayName);
  await expect(waiting).toContainText('Call waiting: you are in another call');
  await expect(alice.page.getByRole('button', { name: 'Hold current call and answer' })).toBeFocused();
  await saveScreenshot(alice.page, testInfo, '07-call-waiting');
  await waiting.getByRole('button', { name: 'Decline' }).click();
  await expect(carol.page.getByRole('status').filter({ hasText: 'Call declined' })).toBeVisible();
  await expectConnected(alice.page, bob.page);

  // 2. Hold and answer: Bob sees he is on hold and no media flows between Alice and Bob.
  await callPerson(carol.page, alice.displayName);
  await alice.page.getByRole('button', { name: 'Hold current call and answer' }).click();
  await expectConnected(alice.page, carol.page);
  await expect(bob.page.getByText(`${alice.displayName} put you on hold`)).toBeVisible();
  await expect(alice.page.getByRole('button', { name: `Switch to ${bob.displayName}` })).toHaveText(`${bob.displayName} (on hold)`);
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioBytesReceived).toBe(0);
  expect((await mediaGrowth(bob.page, 1_000)).audioBytesSent).toBe(0);

  // 3. Carol hangs up; Alice resumes Bob and the media flows again.
  await carol.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(alice.page.getByRole('heading', { name: bob.displayName })).toBeVisible();
  await expect(alice.page.getByText('On hold', { exact: true })).toBeVisible();
  await alice.page.getByRole('button', { name: 'Resume' }).click();
  await expectConnected(alice.page, bob.page);
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioBytesReceived).toBeGreaterThan(0);

  // 4. End and answer: Bob's call ends, Carol's is answered.
  await callPerson(carol.page, alice.displayName);
  await alice.page.getByRole('button', { name: 'End current call and answer' }).click();
  await expect(bob.page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  await expectConnected(alice.page, carol.page);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(carol.page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
});
