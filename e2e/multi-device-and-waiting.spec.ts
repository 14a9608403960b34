import { expect, test } from './support/fixtures';
import { callPerson, expectConnected, homeHeading, incomingDialog, summary } from './support/call-helpers';
import { mediaGrowth } from './support/media-stats';

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
  await expect(summary(bobLaptop.page)).toContainText(`The call from ${alice.displayName} was answered on another device`);
  await expect(homeHeading(bobLaptop.page)).toBeAttached();
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(homeHeading(bobDesk.page)).toBeAttached();
});

test('finding 5: call waiting is a panel, not a dialog: the current call stays usable, Enter answers nothing; decline, hold and answer, resume, end and answer', async ({
  newUser,
  openPhone,
}) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  const carol = await openPhone(await newUser('carol'));

  await callPerson(bob.page, alice.displayName);
  await alice.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(alice.page, bob.page);
  const mute = alice.page.getByRole('button', { name: 'Mute', exact: true });
  await mute.focus();

  // 1. A second call during the first: a panel in the call screen, no modal dialog, focus stays put.
  await callPerson(carol.page, alice.displayName);
  const waiting = alice.page.getByRole('region', { name: `${carol.displayName} is calling` });
  await expect(waiting).toContainText(`You are in a call with ${bob.displayName}`);
  await expect(waiting).toContainText(`@${carol.username}`); // a ring surface: display names can look alike (issue 10)
  await expect(alice.page.getByRole('dialog')).toHaveCount(0);
  await expect(mute).toBeFocused();
  // Enter is not "answer": it presses the focused control (Mute) and nothing else.
  await alice.page.keyboard.press('Enter');
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expect(bob.page.getByText(`${alice.displayName} muted their microphone`)).toBeVisible();
  await expect(waiting).toBeVisible();
  await alice.page.keyboard.press('Enter');
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await waiting.getByRole('button', { name: 'Decline' }).click();
  await expect(summary(carol.page)).toContainText(`${alice.displayName} declined the call`);
  await expectConnected(alice.page, bob.page);

  // 2. Hold and answer: Bob sees he is on hold and no media flows between Alice and Bob.
  await callPerson(carol.page, alice.displayName);
  await alice.page.getByRole('button', { name: 'Hold current call and answer' }).click();
  await expectConnected(alice.page, carol.page);
  await expect(bob.page.getByText(`${alice.displayName} put you on hold`)).toBeVisible();
  await expect(alice.page.getByRole('list', { name: 'Other calls' })).toContainText(`${bob.displayName} (on hold)`);
  await expect(alice.page.getByRole('button', { name: `Switch to ${bob.displayName}` })).toBeVisible();
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioBytesReceived).toBe(0);
  expect((await mediaGrowth(bob.page, 1_000)).audioBytesSent).toBe(0);

  // 3. Carol hangs up; Alice resumes Bob and the media flows again.
  await carol.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(alice.page.getByRole('heading', { name: bob.displayName })).toBeVisible();
  await expect(alice.page.getByText('On hold', { exact: true })).toBeVisible();
  const hold = alice.page.getByRole('button', { name: 'Hold', exact: true });
  await expect(hold).toHaveAttribute('aria-pressed', 'true');
  await hold.click();
  await expect(hold).toHaveAttribute('aria-pressed', 'false');
  await expectConnected(alice.page, bob.page);
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioBytesReceived).toBeGreaterThan(0);

  // 4. End and answer: Bob's call ends, Carol's is answered. While it rings, Alice can still hang up on Bob instead.
  await callPerson(carol.page, alice.displayName);
  await alice.page.getByRole('button', { name: 'End current call and answer' }).click();
  await expect(homeHeading(bob.page)).toBeAttached();
  await expectConnected(alice.page, carol.page);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(homeHeading(carol.page)).toBeAttached();
});
