import type { Locator } from '@playwright/test';
import { registerUser, removeDataDir, startServer } from '../test/support/server';
import { answeredVideoCall, callPerson, expectConnected, historyButton } from './support/call-helpers';
import { expect, openContext, signIn, test, WEB_ROOT } from './support/fixtures';

const box = async (locator: Locator) => (await locator.boundingBox())!;

test('finding 10: the self-view sits inside the other side\'s video, hang-up stays on screen from 360x640 to 1280x720, nothing scrolls sideways', async ({
  newUser,
  openPhone,
}) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredVideoCall(alice.page, bob.page, bob.displayName);
  const stage = alice.page.locator('.call-stage');
  const self = alice.page.getByLabel('Your camera');
  await expect(self).toBeVisible();
  for (const size of [
    { width: 1280, height: 720 },
    { width: 1280, height: 800 },
    { width: 400, height: 700 },
    { width: 360, height: 640 },
  ]) {
    await alice.page.setViewportSize(size);
    const outer = await box(stage);
    const inner = await box(self);
    expect(inner.x, `self-view inside the stage at ${size.width}x${size.height}`).toBeGreaterThanOrEqual(outer.x);
    expect(inner.y).toBeGreaterThanOrEqual(outer.y);
    expect(inner.x + inner.width).toBeLessThanOrEqual(outer.x + outer.width + 0.5);
    expect(inner.y + inner.height).toBeLessThanOrEqual(outer.y + outer.height + 0.5);
    const hangUp = await box(alice.page.getByRole('button', { name: 'Hang up' }));
    expect(hangUp.y + hangUp.height, `hang-up on screen at ${size.width}x${size.height}`).toBeLessThanOrEqual(size.height - 4);
    expect(await alice.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
  }
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
});

test('finding 10: history is grouped by day with a labelled call-back button; settings are in tabs and say "Saved"', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await callPerson(alice.page, bob.displayName);
  await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expectConnected(alice.page);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();

  await historyButton(alice.page).click();
  const today = alice.page.getByRole('main').getByRole('region', { name: 'Today' });
  await expect(today.getByRole('heading', { name: 'Today' })).toBeVisible();
  const callBack = today.getByRole('button', { name: `Call back ${bob.displayName}` });
  await expect(callBack).toHaveAttribute('title', `Call back ${bob.displayName}`);
  await expect(callBack.locator('svg')).toBeVisible();
  await expect(today.locator('time')).toHaveText(/^\d{1,2}:\d{2}/);

  await alice.page.getByRole('button', { name: 'Settings' }).click();
  await expect(alice.page.getByRole('tab')).toHaveText(['Audio & video', 'Calls', 'General', 'Account']);
  await alice.page.getByRole('tab', { name: 'Calls' }).click();
  await expect(alice.page.getByRole('tabpanel', { name: 'Calls' })).toBeVisible();
  await alice.page.getByLabel('Call waiting').click();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Saved' })).toBeHidden({ timeout: 5_000 });
});

test('finding 10: a fresh server does not say "Nobody matches your search" before anything is typed', async ({ browser }) => {
  const server = await startServer({ env: { WEB_ROOT } });
  try {
    await registerUser(server.url, 'first.user', 'password-first', 'First User');
    const { page } = await openContext(browser, server.url);
    await signIn(page, 'first.user', 'password-first');
    const contacts = page.getByRole('region', { name: 'Contacts' });
    await expect(contacts).toContainText('No contacts yet. People who sign up on this server appear here.');
    await expect(contacts).not.toContainText('Nobody matches');
    await page.getByLabel('Search contacts').fill('zed');
    await expect(contacts).toContainText('Nobody matches “zed”.');
    await page.context().close();
  } finally {
    await server.stop();
    removeDataDir(server);
  }
});
