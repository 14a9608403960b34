import { homeHeading, summary } from './support/call-helpers';
import { expect, openContext, test } from './support/fixtures';
import { mediaGrowth } from './support/media-stats';
import { saveScreenshot } from './support/screenshots';
import type { Page } from '@playwright/test';

async function registerThroughScreens(page: Page, username: string, displayName: string): Promise<void> {
  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeFocused();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Password', { exact: true }).fill(`password-${username}`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(homeHeading(page)).toBeAttached();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');
}

test('two people register, call with video, mute, hang up, and both histories show the call', async ({ browser, server }, testInfo) => {
  const suffix = Date.now().toString(36);
  const alice = await openContext(browser, server.url);
  const bob = await openContext(browser, server.url);
  await saveScreenshot(alice.page, testInfo, '01-sign-in');

  await registerThroughScreens(alice.page, `alice${suffix}`, 'Alice Adams');
  await registerThroughScreens(bob.page, `bob${suffix}`, 'Bob Brown');
  await alice.page.getByLabel('Search contacts').fill('Bob');
  await expect(alice.page.getByRole('button', { name: 'Video call Bob Brown' })).toBeVisible();
  await saveScreenshot(alice.page, testInfo, '02-home-directory');

  await alice.page.getByRole('button', { name: 'Video call Bob Brown' }).click();
  const incoming = bob.page.getByRole('dialog', { name: 'Alice Adams is calling' });
  await expect(incoming).toBeVisible();
  await expect(incoming).toContainText('Incoming video call');
  await expect(bob.page.getByRole('button', { name: 'Answer', exact: true })).toBeFocused();
  await expect(alice.page.getByRole('status').filter({ hasText: 'Ringing…' })).toBeVisible();
  await saveScreenshot(bob.page, testInfo, '03-incoming-call');

  await bob.page.getByRole('button', { name: 'Answer with video' }).click();
  for (const page of [alice.page, bob.page]) await expect(page.getByText('Connected', { exact: true })).toBeVisible();
  await expect(alice.page.getByRole('timer', { name: 'Call duration' })).toBeVisible();

  // Live remote audio and video on both sides, from the real connection's getStats().
  for (const page of [alice.page, bob.page]) {
    await expect
      .poll(async () => {
        const growth = await mediaGrowth(page, 1_000);
        return growth.audioBytesReceived > 0 && growth.videoBytesReceived > 0;
      })
      .toBe(true);
  }
  await expect(alice.page.getByLabel('Video of Bob Brown')).toBeVisible();
  await expect(alice.page.getByRole('region', { name: 'Network quality' })).toContainText('MOS');
  await saveScreenshot(alice.page, testInfo, '04-in-call-video');

  // Mute: Bob stops hearing Alice. The received audio energy falls below 1% of what it was while
  // unmuted (polled, because a loaded machine drains the jitter buffer and comfort noise slowly).
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioEnergyReceived).toBeGreaterThan(0);
  const unmutedEnergy = (await mediaGrowth(bob.page, 1_000)).audioEnergyReceived;
  const mute = alice.page.getByRole('button', { name: 'Mute', exact: true });
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  await expect
    .poll(async () => (await mediaGrowth(bob.page, 1_000)).audioEnergyReceived, { timeout: 10_000 })
    .toBeLessThan(unmutedEnergy / 100);
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).audioEnergyReceived).toBeGreaterThan(0);

  await alice.page.waitForTimeout(1_200); // a call of at least a second, so the duration reads 0:01 or more
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(summary(alice.page)).toContainText('Call with Bob Brown ended');
  await expect(summary(alice.page)).toContainText('You hung up');
  await expect(summary(bob.page)).toContainText('Call with Alice Adams ended');
  await expect(summary(bob.page)).toContainText('Alice Adams hung up');
  await expect(homeHeading(alice.page)).toBeFocused();

  for (const [page, peer, kind] of [
    [alice.page, 'Bob Brown', 'Outgoing'],
    [bob.page, 'Alice Adams', 'Incoming'],
  ] as const) {
    await page.getByRole('button', { name: 'History' }).click();
    const entry = page.getByRole('main').getByRole('listitem').filter({ hasText: peer });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText(kind);
    await expect(entry.locator('.call-row-meta')).toContainText(/\d+:\d{2}/);
    await expect(entry.locator('.call-row-meta')).not.toContainText('0:00');
  }
  await saveScreenshot(bob.page, testInfo, '05-history');
  await bob.page.getByRole('button', { name: 'Settings' }).click();
  await saveScreenshot(bob.page, testInfo, '06-settings');

  await alice.context.close();
  await bob.context.close();
});
