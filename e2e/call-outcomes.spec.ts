import { expect, test } from './support/fixtures';
import { callPerson as call, historyButton, historyEntry, homeHeading, incomingDialog, summary } from './support/call-helpers';

/** A presence change shows well within this, far sooner than any directory re-fetch. */
const LIVE_MS = 5_000;

test('decline: the caller hears it was declined and both histories say so', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await call(alice.page, bob.displayName);
  await expect(incomingDialog(bob.page, alice.displayName)).toBeVisible();
  await bob.page.keyboard.press('Escape'); // Esc declines
  await expect(incomingDialog(bob.page, alice.displayName)).toBeHidden();
  await expect(summary(alice.page)).toContainText(`${bob.displayName} declined the call`);
  await expect(summary(bob.page)).toContainText(`You declined the call from ${alice.displayName}`);
  await expect(homeHeading(alice.page)).toBeAttached();
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
  await expect(summary(alice.page)).toContainText(`You cancelled the call to ${bob.displayName}`);
  await expect(summary(bob.page)).toContainText(`Missed call from ${alice.displayName}`);
  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  const entry = await historyEntry(bob.page, alice.displayName);
  await expect(entry).toContainText('Missed');
  await expect(historyButton(bob.page)).toHaveAccessibleName('History');
});

test('Enter answers an incoming call, Tab stays inside it, and focus returns to the screen when it ends', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await call(alice.page, bob.displayName);
  const answer = bob.page.getByRole('button', { name: 'Answer', exact: true });
  await expect(answer).toBeFocused();
  // Tab and Shift+Tab wrap around the dialog's buttons instead of leaving for the screen behind it.
  await bob.page.keyboard.press('Tab');
  await expect(bob.page.getByRole('button', { name: 'Decline' })).toBeFocused();
  await bob.page.keyboard.press('Shift+Tab');
  await expect(answer).toBeFocused();
  await bob.page.keyboard.press('Enter');
  for (const page of [alice.page, bob.page]) await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await expect(bob.page.getByRole('heading', { name: alice.displayName })).toBeFocused();
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(homeHeading(bob.page)).toBeFocused();
});

test('offline callee: the call is unavailable, the caller sees them come online, set DND and sign out live, and the missed call arrives at sign-in', async ({
  newUser,
  openPhone,
}) => {
  const bobUser = await newUser('bob');
  const alice = await openPhone(await newUser('alice'));
  await call(alice.page, bobUser.displayName);
  await expect(summary(alice.page)).toContainText(`${bobUser.displayName} is not available`);

  // Alice keeps Bob on screen; his presence follows as it changes, with no reload (the list re-fetches only every 60 s).
  await alice.page.getByLabel('Search contacts').fill(bobUser.displayName);
  const bobsRow = alice.page.locator('.person').filter({ hasText: bobUser.displayName });
  await expect(bobsRow).toContainText('Offline');
  const bob = await openPhone(bobUser);
  await expect(bobsRow).toContainText('Available', { timeout: LIVE_MS });

  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  await expect(await historyEntry(bob.page, alice.displayName)).toContainText('Missed');

  await bob.page.getByRole('button', { name: 'Your status: Available' }).click();
  await bob.page.getByRole('menuitemradio', { name: /Do not disturb/ }).click();
  await expect(bobsRow).toContainText('Do not disturb', { timeout: LIVE_MS });
  await bob.page.getByRole('button', { name: 'Your status: Do not disturb' }).click();
  await bob.page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(bobsRow).toContainText('Offline', { timeout: LIVE_MS });
});
