import { expect, test } from './support/fixtures';
import { callPerson, historyButton, incomingDialog, summary } from './support/call-helpers';

// A short ring timer on the server, so an unanswered call ends quickly.
test.use({ serverEnv: { RING_TIMEOUT_MS: '3000' } });

test('no answer: the caller is told and the callee has a missed call in history and counter', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await callPerson(alice.page, bob.displayName);
  await expect(incomingDialog(bob.page, alice.displayName)).toBeVisible();
  await expect(incomingDialog(bob.page, alice.displayName)).toBeHidden({ timeout: 15_000 });
  await expect(summary(alice.page)).toContainText(`${bob.displayName} did not answer`);
  await expect(summary(bob.page)).toContainText(`Missed call from ${alice.displayName}`);
  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  await historyButton(bob.page).click();
  await bob.page.getByRole('button', { name: 'Missed', exact: true }).click();
  const entry = bob.page.getByRole('main').getByRole('listitem').filter({ hasText: alice.displayName });
  await expect(entry).toContainText('Missed');
  await expect(historyButton(bob.page)).toHaveAccessibleName('History');
});
