import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, phaseOf, stopAll, uniqueName, type TestClient } from '../support/clients';
import { registerUser, removeDataDir, startServer, type TestServer } from '../support/server';
import { deviceId, RawDevice } from '../../server/test/helpers/raw-device';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

/**
 * Issue 10, items 12, 13 and 15: a silent network drop (a black-holing proxy: nothing forwarded, nothing
 * closed) between one phone and the server. The server notices within the heartbeat (about 10 s, not
 * socket.io's 45 s), signals sent meanwhile are not claimed delivered and reach the phone once it is
 * back, a ringing phone stops by its own ring timer, and the record's talk time stops when the phone
 * was last heard from.
 */

const servers: TestServer[] = [];
const proxies: TcpProxy[] = [];
const clients: TestClient[] = [];
const raws: RawDevice[] = [];
afterEach(async () => {
  raws.splice(0).forEach((r) => r.close());
  await stopAll(...clients.splice(0));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
  for (const server of servers.splice(0)) {
    await server.stop();
    removeDataDir(server);
  }
});

/** Alice on a direct raw socket; Bob's PhoneCore behind a proxy that can black-hole his link. */
async function setup(env: Record<string, string>) {
  const server = await startServer({ env });
  servers.push(server);
  const proxy = await startTcpProxy(server.port);
  proxies.push(proxy);
  const bob = await connectClient(proxy.url, uniqueName('bob'));
  clients.push(bob);
  const aliceSession = await registerUser(server.url, uniqueName('alice'));
  const alice = await RawDevice.connect(server.url, aliceSession.accessToken, deviceId(uniqueName('a')));
  raws.push(alice);
  return { server, proxy, bob, alice, aliceSession };
}

async function answered(alice: RawDevice, bob: TestClient): Promise<string> {
  const { callId } = await alice.ok('call:invite', { to: bob.user.username, media: 'audio' });
  await bob.waitFor('incoming', (c) => c.callId === callId);
  await bob.core.answer(callId);
  await alice.next('call:accepted');
  return callId;
}

describe('a silent drop between a phone and the server', () => {
  it('is noticed within about 10 s; a signal sent meanwhile is not claimed delivered and reaches the phone, once, when it is back', async () => {
    const { proxy, bob, alice } = await setup({ CALL_RESUME_GRACE_MS: '30000' });
    const callId = await answered(alice, bob);
    expect(await alice.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 before' } })).toEqual({ ok: true, delivered: true });

    proxy.blackhole();
    const droppedAt = Date.now();
    const restart = await alice.request('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 ice-restart' } });
    expect(restart).toEqual({ ok: true, delivered: false });
    const lost = await alice.next('call:peer-connection', (p) => !p.connected, 20_000);
    expect(lost).toEqual({ callId, connected: false });
    const noticedAfter = Date.now() - droppedAt;
    expect(noticedAfter).toBeLessThan(15_000); // pingInterval 6 s + pingTimeout 4 s, plus slack for a loaded machine
    expect(bob.all('signal').filter(([, data]) => 'sdp' in data && data.sdp === 'v=0 ice-restart')).toEqual([]);

    const mark = bob.mark();
    proxy.restore();
    await bob.waitFor('connection', (s) => s.status === 'online', { after: mark, timeoutMs: 30_000 });
    await alice.next('call:peer-connection', (p) => p.connected, 20_000);
    await bob.waitFor('signal', (id, data) => id === callId && 'sdp' in data && data.sdp === 'v=0 ice-restart', { after: mark });
    expect(phaseOf(bob, callId)).toBe('active');
    await alice.settle();
    expect(bob.all('signal').filter(([, data]) => 'sdp' in data).map(([, data]) => ('sdp' in data ? data.sdp : ''))).toEqual(['v=0 before', 'v=0 ice-restart']);
    expect(await alice.ok('call:signal', { callId, data: { renegotiate: true } })).toEqual({ ok: true, delivered: true });
  });

  it('a ringing phone behind it stops ringing at ringUntil by its own clock, while its link is still silent', async () => {
    const { proxy, bob, alice } = await setup({ RING_TIMEOUT_MS: '3000' });
    const { callId, ringUntil } = await alice.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await bob.waitFor('incoming', (c) => c.callId === callId);
    proxy.blackhole();
    const [ended] = await bob.waitFor('ended', (c) => c.callId === callId, { timeoutMs: 8_000 });
    expect(ended.endReason).toBe('no-answer');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(ringUntil) - 100);
    expect(bob.notifier.stops(callId)).toEqual(['no-answer']);
    expect(bob.notifier.ringing.size).toBe(0);
    expect(await alice.next('call:ended')).toEqual({ callId, reason: 'no-answer' });
  });

  it('the record ends when the phone was last heard from: talk time excludes the silence and the grace', async () => {
    const { proxy, bob, alice, aliceSession, server } = await setup({ CALL_RESUME_GRACE_MS: '3000' });
    const callId = await answered(alice, bob);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // 1.5 s of talk
    await bob.core.checkConnection(); // heard from just now
    proxy.blackhole();
    const silentFrom = Date.now();
    expect(await alice.next('call:ended', (e) => e.callId === callId, 20_000)).toEqual({ callId, reason: 'connection-lost' });
    const endedAfter = Date.now() - silentFrom;
    // The 3 s grace counts from when Bob was last heard from, not from when the server noticed.
    expect(endedAfter).toBeLessThan(15_000);
    const history = await fetch(`${server.url}/api/history`, { headers: { authorization: `Bearer ${aliceSession.accessToken}` } });
    const entry = ((await history.json()) as { calls: Array<{ callId: string; talkMs: number; answeredAt: string; endedAt: string }> }).calls.find((c) => c.callId === callId)!;
    expect(entry.talkMs).toBeGreaterThanOrEqual(1_400);
    expect(entry.talkMs).toBeLessThan(2_500);
    expect(Date.parse(entry.endedAt)).toBeLessThanOrEqual(silentFrom + 200);
  });
});
