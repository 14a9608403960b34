import { answeredAudioCall, callPerson, incomingDialog } from './support/call-helpers';
import { expect, test } from './support/fixtures';

test('finding 3: home has the dial box with a keypad and recent calls by day; contacts list favourites once, then the others, reachable first', async ({
  newUser,
  openPhone,
}) => {
  const prefix = `h${Date.now().toString(36)}`;
  const alice = await openPhone(await newUser(`${prefix}a`, `${prefix} Alice`));
  const bob = await openPhone(await newUser(`${prefix}b`, `${prefix} Bob`));
  const carol = await openPhone(await newUser(`${prefix}c`, `${prefix} Carol`));
  await newUser(`${prefix}0`, `${prefix} Aaron`); // never signs in: offline, and first by name

  // An answered call with Bob and a missed one from Carol.
  await answeredAudioCall(alice.page, bob.page, bob.displayName);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await callPerson(carol.page, alice.displayName);
  await expect(incomingDialog(alice.page, carol.displayName)).toBeVisible();
  await carol.page.getByRole('button', { name: 'Hang up' }).click();

  const recent = alice.page.getByRole('region', { name: 'Recent calls' });
  const today = recent.getByRole('region', { name: 'Today' });
  await expect(today.getByRole('listitem')).toHaveCount(2);
  await expect(today.getByRole('listitem').first()).toContainText(`${carol.displayName}Missed`);
  await expect(today.getByRole('listitem').nth(1)).toContainText(`${bob.displayName}Outgoing`);
  await expect(today.getByRole('button', { name: `Call back ${bob.displayName}` })).toBeVisible();

  // The keypad types into the dial box.
  const dial = alice.page.getByLabel('Call by username');
  await alice.page.getByRole('button', { name: 'Keypad' }).click();
  const keypad = alice.page.getByRole('group', { name: 'Keypad' });
  for (const key of ['1', '0', '0', '7']) await keypad.getByRole('button', { name: key, exact: true }).click();
  await keypad.getByRole('button', { name: 'Delete the last character' }).click();
  await expect(dial).toHaveValue('100');
  await expect(alice.page.getByRole('button', { name: 'Keypad' })).toHaveAttribute('aria-expanded', 'true');

  // Favourites first and only there; everyone else after, reachable first.
  await alice.page.getByLabel('Search contacts').fill(prefix);
  await alice.page.getByRole('button', { name: `Add ${carol.displayName} to favourites` }).click();
  const contacts = alice.page.getByRole('region', { name: 'Contacts' });
  await expect(contacts.getByRole('list', { name: 'Favourites' }).getByRole('listitem')).toHaveText([new RegExp(carol.displayName)]);
  await expect(contacts.getByRole('list', { name: 'Everyone else' }).getByRole('listitem')).toHaveText([
    new RegExp(`${bob.displayName}.*Available`),
    new RegExp(`${prefix} Aaron.*Offline`),
  ]);
  await expect(contacts.locator('.person').filter({ hasText: carol.displayName })).toHaveCount(1);
});
