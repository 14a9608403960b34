import { expectConnected, homeHeading, summary } from './support/call-helpers';
import { expect, test } from './support/fixtures';

/**
 * Finding 11: an outgoing call used to log "a 'snapshot' listener threw … Invalid UUID" (the call
 * has no server id until the invite is acknowledged) and calling an unknown user "a 'ended'
 * listener threw". The shared fixture fails any test whose pages log an error; these flows are
 * the ones that did.
 */
test('finding 11: an outgoing call, from dialling to hang-up, logs no error and shows every step', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  const steps: string[] = [];
  alice.page.on('console', (message) => message.text().includes('listener threw') && steps.push(message.text()));
  await alice.page.getByLabel('Call by username').fill(bob.username);
  await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(alice.page.getByRole('heading', { name: bob.displayName, level: 1 })).toBeVisible();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Ringing…' })).toBeVisible();
  await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(alice.page, bob.page);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(summary(alice.page)).toContainText(`Call with ${bob.displayName} ended`);
  expect(steps).toEqual([]);
});

test('finding 11: calling someone who does not exist says so at the dial box and logs no error', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  await alice.page.getByLabel('Call by username').fill('no.such.person');
  await alice.page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(alice.page.getByLabel('Call by username')).toHaveAccessibleDescription('Nobody is called “no.such.person” on this server.');
  await expect(homeHeading(alice.page)).toBeAttached();
  await expect(summary(alice.page)).toHaveCount(0); // a call the server never placed did not "end"
});
