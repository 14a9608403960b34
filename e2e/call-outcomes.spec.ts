import { expect, test } from './support/fixtures';
import { callPerson as call, historyButton, historyEntry, incomingDialog } from './support/call-helpers';

test('decline: the caller hears it was declined and both histories say so', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await call(alice.page, bob.displayName);
  await expect(incomingDialog(bob.page, alice.displayName)).toBeVisible();
  await bob.page.keyboard.press('Escape'); // Esc declines
  await expect(incomingDialog(bob.page, alice.displayName)).toBeHidden();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Call declined' })).toBeVisible();
  await expect(alice.page.getByRole('heading', { name: 'Contacts' })).toBeVisible();
  for (const [page, peer] of [
    [alice.page, bob.displayName],
    [bob.page, alice.displayName],
  ] as const) {
    await expect(await historyEntry(page, peer)).toContainText('Declined');
  }
});

test('cancel: the callee stops ringing and sees a missed call', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await call(alice.page, bob.displayName, 'Video');
  await expect(incomingDialog(bob.page, alice.displayName)).toBeVisible();
  await expect(bob.page).toHaveTitle(new RegExp(`Incoming call from ${alice.displayName}`)); // the tab title rings too
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(incomingDialog(bob.page, alice.displayName)).toBeHidden();
  await expect(bob.page).toHaveTitle('Softphone');
  await expect(alice.page.getByRole('status').filter({ hasText: 'Call cancelled' })).toBeVisible();
  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  const entry = await historyEntry(bob.page, alice.displayName);
  await expect(entry).toContainText('Missed');
  await expect(historyButton(bob.page)).toHaveAccessibleName('History');
});

test('Enter answers an incoming call, and focus returns to the screen when it ends', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await call(alice.page, bob.displayName);
  await expect(bob.page.getByRole('button', { name: 'Answer', exact: true })).toBeFocused();
  await bob.page.keyboard.press('Enter');
  for (const page of [alice.page, bob.page]) await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await expect(bob.page.getByRole('heading', { name: alice.displayName })).toBeFocused();
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.getByRole('heading', { name: 'Contacts' })).toBeFocused();
});

test('offline callee: the call is unavailable and the missed call arrives at the next sign-in', async ({ newUser, openPhone }) => {
  const bobUser = await newUser('bob');
  const alice = await openPhone(await newUser('alice'));
  await call(alice.page, bobUser.displayName);
  await expect(alice.page.getByRole('status').filter({ hasText: `${bobUser.displayName} is not available` })).toBeVisible();
  const bob = await openPhone(bobUser);
  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  await expect(await historyEntry(bob.page, alice.displayName)).toContainText('Missed');
});
