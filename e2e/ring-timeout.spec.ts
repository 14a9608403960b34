import { expect, test } from './support/fixtures';
import { callPerson, historyButton, incomingDialog } from './support/call-helpers';

// A short ring timer on the server, so an unanswered call ends quickly.
test.use({ serverEnv: { RING_TIMEOUT_MS: '3000' } });

test('no answer: the caller is told and the callee has a missed call in history and counter', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await callPerson(alice.page, bob.displayName);
  await expect(incomingDialog(bob.page, alice.displayName)).toBeVisible();
  await expect(incomingDialog(bob.page, alice.displayName)).toBeHidden({ timeout: 15_000 });
  await expect(alice.page.getByRole('status').filter({ hasText: 'No answer' })).toBeVisible();
  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  await historyButton(bob.page).click();
  await bob.page.getByRole('button', { name: 'Missed only' }).click();
  const entry = bob.page.getByRole('listitem').filter({ hasText: alice.displayName });
  await expect(entry).toContainText('Missed');
  await expect(historyButton(bob.page)).toHaveAccessibleName('History');
});
