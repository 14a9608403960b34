import { answeredAudioCall, callPerson, summary } from './support/call-helpers';
import { expect, test } from './support/fixtures';

test('finding 7: the end-of-call summary says with whom, how long and who ended it, from each side, and goes when the next call starts', async ({
  newUser,
  openPhone,
}) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredAudioCall(alice.page, bob.page, bob.displayName);
  await expect(bob.page.getByRole('timer', { name: 'Call duration' })).toHaveText(/0:0[1-9]/);
  await bob.page.getByRole('button', { name: 'Hang up' }).click();

  await expect(summary(bob.page)).toContainText(`Call with ${alice.displayName} ended`);
  await expect(summary(bob.page)).toContainText(/You hung up · 0:0[1-9]/);
  await expect(summary(alice.page)).toContainText(`Call with ${bob.displayName} ended`);
  await expect(summary(alice.page)).toContainText(new RegExp(`${bob.displayName} hung up · 0:0[1-9]`));

  // The next call replaces it at once (it used to linger above the next call).
  await callPerson(alice.page, bob.displayName);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Calling…' }).or(alice.page.getByRole('status').filter({ hasText: 'Ringing…' }))).toBeVisible();
  await expect(summary(alice.page)).toHaveCount(0);
  await expect(summary(bob.page)).toHaveCount(0);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(summary(bob.page)).toContainText(`Missed call from ${alice.displayName}`);
  await bob.page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(summary(bob.page)).toHaveCount(0);
});
