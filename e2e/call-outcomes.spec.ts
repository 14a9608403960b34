import { expect, test } from './support/fixtures';
import { callPerson as call, historyButton, historyEntry, incomingDialog } from './support/call-helpers';

/** A presence change shows well within this, far sooner than any directory re-fetch. */
const LIVE_MS = 5_000;

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
  await expect(bob.page).toHaveTitle(`☎ Incoming call from \u2068${alice.displayName}\u2069 (@${alice.username})`); // the tab title rings too, naming the username
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

test('offline callee: the call is unavailable, the caller sees them come online, set DND and sign out live, and the missed call arrives at sign-in', async ({
  newUser,
  openPhone,
}) => {
  const bobUser = await newUser('bob');
  const alice = await openPhone(await newUser('alice'));
  await call(alice.page, bobUser.displayName);
  await expect(alice.page.getByRole('status').filter({ hasText: `${bobUser.displayName} is not available` })).toBeVisible();

  // Alice keeps Bob on screen; his dot follows his presence as it changes, with no reload (the list re-fetches only every 60 s).
  await alice.page.getByLabel('Search people').fill(bobUser.displayName);
  const bobsDot = alice.page.getByRole('img', { name: new RegExp(`^${bobUser.displayName}: `) });
  await expect(bobsDot).toHaveAccessibleName(`${bobUser.displayName}: Offline`);
  const bob = await openPhone(bobUser);
  await expect(bobsDot).toHaveAccessibleName(`${bobUser.displayName}: Available`, { timeout: LIVE_MS });

  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  await expect(await historyEntry(bob.page, alice.displayName)).toContainText('Missed');

  await bob.page.getByRole('button', { name: 'Settings' }).click();
  await bob.page.getByLabel('Do not disturb').selectOption('reject');
  await expect(bobsDot).toHaveAccessibleName(`${bobUser.displayName}: Do not disturb`, { timeout: LIVE_MS });
  await bob.page.getByRole('button', { name: 'Sign out' }).click();
  await expect(bobsDot).toHaveAccessibleName(`${bobUser.displayName}: Offline`, { timeout: LIVE_MS });
});
