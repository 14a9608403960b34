import type { Page } from '@playwright/test';
import { callPerson, historyButton, incomingDialog, summary } from './support/call-helpers';
import { expect, test } from './support/fixtures';

const LIVE_MS = 5_000;

async function setStatus(page: Page, from: string, to: 'Available' | 'Away' | 'Do not disturb'): Promise<void> {
  await page.getByRole('button', { name: `Your status: ${from}` }).click();
  await page.getByRole('menuitemradio', { name: new RegExp(`^${to}`) }).click();
  await expect(page.getByRole('button', { name: `Your status: ${to}` })).toBeVisible();
}

test('finding 2: status is one click away in the header: Do not disturb shows there and turns calls away; Away still rings; both survive a reload', async ({
  newUser,
  openPhone,
}) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));

  // The selector is in the header, a menu of statuses with what each does.
  const status = bob.page.getByRole('banner').getByRole('button', { name: 'Your status: Available' });
  await status.click();
  const menu = bob.page.getByRole('menu', { name: 'Set your status' });
  await expect(menu.getByRole('menuitemradio')).toHaveText([/^Available/, /^Away/, /^Do not disturb/]);
  await expect(menu.getByRole('menuitemradio', { name: /^Available/ })).toHaveAttribute('aria-checked', 'true');
  await expect(menu.getByRole('menuitemradio', { name: /^Available/ })).toBeFocused();
  // Keyboard: arrows move, Escape closes and gives focus back.
  await bob.page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitemradio', { name: /^Away/ })).toBeFocused();
  await bob.page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(status).toBeFocused();

  await setStatus(bob.page, 'Available', 'Do not disturb');
  await callPerson(alice.page, bob.displayName);
  await expect(summary(alice.page)).toContainText(`${bob.displayName} does not want to be disturbed`);
  await expect(incomingDialog(bob.page, alice.displayName)).toHaveCount(0);
  // Do not disturb means no interruption: no ring, no banner; the missed call waits in the history.
  await expect(historyButton(bob.page)).toHaveAccessibleName(/1 missed call/);
  await expect(summary(bob.page)).toHaveCount(0);

  await setStatus(bob.page, 'Do not disturb', 'Away');
  const bobsRow = alice.page.locator('.person').filter({ hasText: bob.displayName });
  await expect(bobsRow).toContainText('Away', { timeout: LIVE_MS });
  await callPerson(alice.page, bob.displayName);
  await expect(incomingDialog(bob.page, alice.displayName)).toBeVisible();
  await bob.page.getByRole('button', { name: 'Decline' }).click();

  await bob.page.reload();
  await expect(bob.page.getByRole('button', { name: 'Your status: Away' })).toBeVisible();
  await expect(bobsRow).toContainText('Away');
  await setStatus(bob.page, 'Away', 'Available');
  await expect(bobsRow).toContainText('Available', { timeout: LIVE_MS });
});

test('finding 4: presence is written and has its own icon shape, not colour alone; the list puts reachable people first', async ({ newUser, openPhone }) => {
  const prefix = `p${Date.now().toString(36)}`;
  const viewer = await openPhone(await newUser(`${prefix}v`, `${prefix} Viewer`));
  const away = await openPhone(await newUser(`${prefix}a`, `${prefix} Away`));
  const busy = await openPhone(await newUser(`${prefix}d`, `${prefix} Dnd`));
  await newUser(`${prefix}o`, `${prefix} Offline`); // never signs in
  const online = await openPhone(await newUser(`${prefix}n`, `${prefix} Online`));
  await setStatus(away.page, 'Available', 'Away');
  await setStatus(busy.page, 'Available', 'Do not disturb');
  void online;

  await viewer.page.getByLabel('Search contacts').fill(prefix);
  const rows = viewer.page.locator('.person');
  await expect(rows).toHaveText([/Online.*Available/, /Away.*Away/, /Dnd.*Do not disturb/, /Offline.*Offline/], { timeout: LIVE_MS });
  // Each status draws its own icon shape (lucide: circle-check, clock, circle-minus, circle-x).
  const shapes = await rows.evaluateAll((elements) => elements.map((row) => row.querySelector('.presence-label svg')?.getAttribute('class') ?? ''));
  expect(shapes.map((c) => /lucide-([a-z-]+)/.exec(c)?.[1])).toEqual(['circle-check', 'clock', 'circle-minus', 'circle-x']);
  expect(new Set(shapes).size).toBe(4);
});

test("finding 2: a status chosen on one device shows at once on the same user's other devices", async ({ newUser, openPhone }) => {
  const bob = await newUser('bob');
  const desk = await openPhone(bob);
  const laptop = await openPhone(bob);
  await setStatus(desk.page, 'Available', 'Do not disturb');
  await expect(laptop.page.getByRole('button', { name: 'Your status: Do not disturb' })).toBeVisible({ timeout: LIVE_MS });
  await setStatus(laptop.page, 'Do not disturb', 'Away');
  await expect(desk.page.getByRole('button', { name: 'Your status: Away' })).toBeVisible({ timeout: LIVE_MS });
});
