import type { Page, Route } from '@playwright/test';
import { expect, test, type Phone } from './support/fixtures';
import { callPerson, summary } from './support/call-helpers';
import { callLies, watchCallTruth } from './support/call-truth';
import { SERVER_DOWN_ERRORS, allowConsoleErrors } from './support/console-errors';
import { mediaGrowth } from './support/media-stats';

/**
 * Issue 12, finding 1: the service restarts while a call is being set up. Each call must end with
 * media flowing on both sides or with media-failed on both, within the recovery window after the
 * service is back, and no screen may show "Connected", a running timer or a "Good" rating that
 * the page's peer connection does not back (e2e/support/call-truth.ts watches every 100 ms).
 */

// Its own server: these tests restart it.
test.use({ serverEnv: { CALL_RESUME_GRACE_MS: '30000' } });
test.describe.configure({ timeout: 150_000 });
// The browser itself logs each refused reconnect while the service is down.
test.beforeEach(() => allowConsoleErrors(...SERVER_DOWN_ERRORS));

const OUTAGE_MS = 10_000;

/** How the call settled on one page: media flowing both ways, or the call is over. */
async function outcome(page: Page): Promise<'media' | 'ended' | 'undecided'> {
  if (!(await page.getByRole('button', { name: 'Hang up' }).isVisible())) return 'ended';
  const growth = await mediaGrowth(page, 1_000);
  return growth.audioBytesReceived > 0 && growth.audioBytesSent > 0 ? 'media' : 'undecided';
}

/** Waits until both sides settled the same way within the window, and checks the screens never lied. */
async function expectSettledHonestly(phones: Phone[], restartedAt: number): Promise<string> {
  for (const { page } of phones) {
    await expect.poll(() => outcome(page), { timeout: 40_000, intervals: [1_000] }).not.toBe('undecided');
  }
  const settled = await Promise.all(phones.map(({ page }) => outcome(page)));
  test.info().annotations.push({ type: 'outcome', description: `${settled.join(' / ')}, ${Date.now() - restartedAt} ms after the restart` });
  expect(new Set(settled).size).toBe(1);
  // A call whose media never connected has one honest end: media-failed, told on both sides.
  if (settled[0] === 'ended') for (const { page } of phones) await expect(summary(page)).toContainText('the media connection could not recover');
  for (const { page } of phones) expect(await callLies(page)).toEqual([]);
  return settled[0]!;
}

test('finding 1: every offer, answer and candidate is made while the service restarts: the call still connects, and the screen never claims more than the media proves', async ({
  newUser,
  openPhone,
  server,
}) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  // The media layer asks for ICE servers when the call is answered; holding that request until the
  // service is down makes both sides produce all their signalling while it is offline.
  let serviceDown!: () => void;
  const down = new Promise<void>((resolve) => (serviceDown = resolve));
  const holdIce = async (route: Route) => {
    await down;
    await route.fulfill({ json: { iceServers: [], ttlSeconds: null } });
  };
  for (const phone of [alice, bob]) {
    await phone.page.route('**/api/ice-servers', holdIce);
    await watchCallTruth(phone.page);
  }

  await callPerson(alice.page, bob.displayName);
  await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect(bob.page.getByRole('heading', { name: alice.displayName })).toBeVisible();
  await expect(alice.page.getByRole('heading', { name: bob.displayName })).toBeVisible();
  await server.stop();
  serviceDown();
  await alice.page.waitForTimeout(OUTAGE_MS);
  const restartedAt = Date.now();
  await server.restart();
  // Nothing was lost for good: the held signals go out on reconnect (or the set-up restarts), so the media connects.
  expect(await expectSettledHonestly([alice, bob], restartedAt)).toBe('media');
});

test('finding 1: the service restarts the moment the callee answers: media or media-failed on both sides, never a lie', async ({ newUser, openPhone, server }) => {
  const alice = await openPhone(await newUser('alice'));
  const bob = await openPhone(await newUser('bob'));
  for (const phone of [alice, bob]) await watchCallTruth(phone.page);

  await callPerson(alice.page, bob.displayName);
  await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await server.stop();
  await alice.page.waitForTimeout(OUTAGE_MS);
  const restartedAt = Date.now();
  await server.restart();
  // Depending on how far the answer got before the service went down: connected, or ended with the reason.
  await expectSettledHonestly([alice, bob], restartedAt);
});
