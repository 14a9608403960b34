import type { Page } from '@playwright/test';
import { expect, openContext, signIn, test } from './support/fixtures';
import { callPerson, expectConnected, homeHeading } from './support/call-helpers';
import { mediaGrowth } from './support/media-stats';
import { PartitionableBrowser } from './support/network-partition';
import { api, loginUser } from '../test/support/server';
import type { HistoryResponse } from '../shared/protocol/http';

/** ICE username fragment of the call's connection (it changes with every ICE restart) and its ICE state history. */
function iceInfo(page: Page) {
  return page.evaluate(() => {
    const pcs = (window as unknown as { __peerConnections: (RTCPeerConnection & { iceStates: string[] })[] }).__peerConnections.filter(
      (pc) => pc.connectionState !== 'closed' && pc.getTransceivers().length > 0,
    );
    const pc = pcs[pcs.length - 1]!;
    return { count: pcs.length, ufrag: /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? null, states: pc.iceStates };
  });
}

/**
 * The in-call warning banner. The partition also cuts Bob's signalling, which the server notices within
 * its ~10 s heartbeat, so the banner may say that Bob lost his connection rather than 'Reconnecting…'.
 */
const warning = (page: Page) => page.getByRole('alert').filter({ hasText: /Reconnecting…|lost their connection/ });

test('media recovery: a network partition drops ICE, the banner shows, the same call comes back', async ({ browser, server, newUser }, testInfo) => {
  test.skip(process.platform !== 'linux', 'the partition stops a Chromium process with SIGSTOP (Linux)');
  const aliceUser = await newUser('alice');
  const bobUser = await newUser('bob');
  const alice = await openContext(browser, server.url);
  await signIn(alice.page, aliceUser.username, aliceUser.password);
  const bobBrowser = await PartitionableBrowser.launch();
  try {
    const bob = await openContext(bobBrowser.browser, server.url);
    await signIn(bob.page, bobUser.username, bobUser.password);

    await callPerson(alice.page, bobUser.displayName);
    await bob.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await expectConnected(alice.page, bob.page);
    await expect.poll(async () => (await mediaGrowth(alice.page, 1_000)).audioBytesReceived).toBeGreaterThan(0);
    const before = await iceInfo(alice.page);

    // Force the ICE failure: Bob's browser loses its network (see PartitionableBrowser).
    const cutAt = Date.now();
    bobBrowser.cut();
    await expect(alice.page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible({ timeout: 20_000 });
    await expect(warning(alice.page)).toBeVisible();
    const disconnectedAt = Date.now();
    expect((await iceInfo(alice.page)).states).toContain('disconnected');
    // Keep the partition for a while after ICE noticed it, so the restart attempts run while Bob is unreachable.
    await alice.page.waitForTimeout(4_000);
    bobBrowser.heal();
    const healedAt = Date.now();

    await expectConnected(alice.page, bob.page);
    testInfo.annotations.push(
      { type: 'ICE disconnected after the cut', description: `${disconnectedAt - cutAt} ms` },
      { type: 'media connected again after the heal', description: `${Date.now() - healedAt} ms` },
    );
    await expect(warning(alice.page)).toBeHidden();
    for (const page of [alice.page, bob.page]) {
      await expect.poll(async () => (await mediaGrowth(page, 1_000)).audioBytesReceived).toBeGreaterThan(0);
    }
    const after = await iceInfo(alice.page);
    expect(after.count).toBe(1); // the same peer connection: recovered, not replaced
    // By an ICE restart when one could be sent before the service noticed Bob's signalling was gone too
    // (its heartbeat sees that within ~10 s, and then nothing can be renegotiated), else by ICE itself
    // once the path is back. Which one depends on timing; both keep the call.
    testInfo.annotations.push({ type: 'recovered by', description: after.ufrag === before.ufrag ? 'ICE consent (no restart)' : 'an ICE restart' });
    expect(after.states.slice(after.states.lastIndexOf('disconnected'))).toContain('connected');
    await expect(alice.page.getByRole('timer', { name: 'Call duration' })).toBeVisible();
    await alice.page.getByRole('button', { name: 'Hang up' }).click();
    await expect(homeHeading(bob.page)).toBeAttached();
  } finally {
    await bobBrowser.close();
    await alice.context.close();
  }
});

test.describe.configure({ timeout: 120_000 });

/**
 * The media stops while both signalling paths stay up (the other side's media stack died: its peer connection
 * closed under it). A partition cannot show this any more: it also cuts the signalling, which the server now
 * notices within ~10 s, and then the service's resume grace decides, not the media (server tests cover that).
 */
test('media that stops while the signalling stays up ends the call on both sides with media-failed, and the record ends when media stopped', async ({
  browser,
  server,
  newUser,
}) => {
  const aliceUser = await newUser('alice');
  const bobUser = await newUser('bob');
  const alice = await openContext(browser, server.url);
  const bob = await openContext(browser, server.url);
  try {
    await signIn(alice.page, aliceUser.username, aliceUser.password);
    await signIn(bob.page, bobUser.username, bobUser.password);
    await callPerson(bob.page, aliceUser.displayName);
    await alice.page.getByRole('button', { name: 'Answer', exact: true }).click();
    await expectConnected(alice.page, bob.page);
    await expect.poll(async () => (await mediaGrowth(alice.page, 1_000)).audioBytesReceived).toBeGreaterThan(0);

    const stoppedAt = Date.now();
    await bob.page.evaluate(() => {
      for (const pc of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections) pc.close();
    });
    const dropped = 'The call dropped: the media connection could not recover';
    for (const page of [alice.page, bob.page]) {
      await expect(page.getByRole('status').filter({ hasText: dropped })).toBeVisible({ timeout: 25_000 });
      await expect(homeHeading(page)).toBeAttached();
    }

    // The record's talk time ends when media was last received, not when the phone gave up on it
    // (issue 10, item 15): within a stats poll of the stop, never the 5 s the media waits for an explanation.
    const { accessToken } = await loginUser(server.url, aliceUser.username, aliceUser.password);
    const { calls } = await api<HistoryResponse>(server.url, 'GET', '/api/history', undefined, accessToken);
    const call = calls[0]!;
    expect(call.endReason).toBe('media-failed');
    const talkEnd = Date.parse(call.answeredAt!) + call.talkMs!;
    expect(talkEnd).toBeGreaterThan(stoppedAt - 3_000);
    expect(talkEnd).toBeLessThan(stoppedAt + 3_500);
  } finally {
    await alice.context.close();
    await bob.context.close();
  }
});
