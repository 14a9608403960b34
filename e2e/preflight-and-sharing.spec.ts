import { expect, test } from './support/fixtures';
import { answeredVideoCall } from './support/call-helpers';
import { mediaGrowth } from './support/media-stats';
import { saveScreenshot } from './support/screenshots';
import type { Page } from '@playwright/test';

/** What the call's video sender sends right now: the capture settings of its track (display surface for a screen). */
function sentVideo(page: Page) {
  return page.evaluate(() => {
    const pcs = (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.filter((pc) => pc.connectionState !== 'closed');
    const track = pcs.flatMap((pc) => pc.getSenders()).find((s) => s.track?.kind === 'video')?.track;
    return track ? { label: track.label, screen: 'displaySurface' in track.getSettings() } : null;
  });
}

test('test call: microphone meter, camera preview and a loopback ICE check with timing', async ({ newUser, openPhone }, testInfo) => {
  const alice = await openPhone(await newUser('alice'));
  await alice.page.getByRole('button', { name: 'Settings' }).click();
  await alice.page.getByRole('button', { name: 'Start test' }).click();
  await expect(alice.page.getByRole('status', { name: 'Connection check' })).toContainText(/Connected in \d+ ms \(host\)/);
  await expect(alice.page.getByLabel('Camera preview')).toBeVisible();
  await expect.poll(async () => Number(await alice.page.getByLabel('Microphone level').getAttribute('value'))).toBeGreaterThan(0);
  await saveScreenshot(alice.page, testInfo, '09-test-call');
  await alice.page.getByRole('button', { name: 'Stop test' }).click();
  await expect(alice.page.getByLabel('Camera preview')).toBeHidden();
});

test('screen sharing in the browser replaces the camera and comes back', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  await answeredVideoCall(alice.page, bob.page, bob.displayName);
  const share = alice.page.getByRole('button', { name: 'Share screen' });
  await share.click();
  await expect(share).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await sentVideo(alice.page))?.screen).toBe(true);
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).videoBytesReceived).toBeGreaterThan(0);
  await share.click();
  await expect(share).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await sentVideo(alice.page))?.screen).toBe(false);
  await expect.poll(async () => (await mediaGrowth(bob.page, 1_000)).videoBytesReceived).toBeGreaterThan(0);
});
