import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ RING_TIMEOUT_MS: '1500', CALL_RESUME_GRACE_MS: '2500', INVITE_RATE_LIMIT: '3', INVITE_RATE_WINDOW_S: '60' });
const connect = rig.connect;

async function answeredCall(tag: string) {
  const alice = await newUser(rig.url, 'alice');
  const bob = await newUser(rig.url, 'bob');
  const a = await connect(alice, `${tag}-a`);
  const b = await connect(bob, `${tag}-b`);
  const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
  await b.next('call:incoming');
  await b.ok('call:accept', { callId });
  await a.next('call:accepted');
  return { alice, bob, a, b, callId };
}

describe('server-side timers', () => {
  it('the ring timer ends an unanswered call as no-answer and records a missed call first', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await connect(alice, 'rt-a');
    const b = await connect(bob, 'rt-b');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'video' });
    const incoming = await b.next('call:incoming');
    expect(Date.parse(incoming.ringUntil) - Date.parse(incoming.startedAt)).toBe(1500);
    expect(await a.next('call:ended')).toEqual({ callId, reason: 'no-answer' });
    expect(await b.next('call:ended')).toEqual({ callId, reason: 'no-answer' });
    expect((await b.next('missed:calls')).calls).toMatchObject([{ callId, reason: 'no-answer', from: alice.user, media: 'video' }]);
    const history = await api<HistoryResponse>(rig.url, 'GET', '/api/history', undefined, bob.accessToken);
    expect(history.calls[0]).toMatchObject({ callId, outcome: 'no-answer', direction: 'incoming', missed: true, answeredAt: null, talkMs: null });
    expect(history.calls[0]!.ringMs).toBeGreaterThanOrEqual(1500);
  });

  it('the rate limit holds per user', async () => {
    const alice = await newUser(rig.url, 'alice');
    const carol = await newUser(rig.url, 'carol');
    const offline = await newUser(rig.url, 'offline');
    const a = await connect(alice, 'rl-a');
    const c = await connect(carol, 'rl-c');
    for (let i = 0; i < 3; i += 1) expect((await a.ok('call:invite', { to: offline.user.username, media: 'audio' })).status).toBe('unavailable');
    expect(await a.request('call:invite', { to: offline.user.username, media: 'audio' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(await a.request('call:invite', { to: 'no-such-user', media: 'audio' })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect((await c.ok('call:invite', { to: offline.user.username, media: 'audio' })).status).toBe('unavailable');
    const history = await api<HistoryResponse>(rig.url, 'GET', '/api/history', undefined, offline.accessToken);
    expect(history.calls.filter((call) => call.peer.userId === alice.user.userId)).toHaveLength(3);
  });
});

describe('resume after a signalling drop', () => {
  it('the call survives a reconnect within the grace; buffered signals are flushed', async () => {
    const { alice, bob, a, b, callId } = await answeredCall('res');
    b.close();
    expect(await a.next('call:peer-connection')).toEqual({ callId, connected: false });
    const candidate = { type: 'candidate', candidate: { candidate: 'candidate:2 1 udp 2 10.0.0.1 9 typ host' } };
    expect(await a.ok('call:signal', { callId, data: candidate })).toEqual({ ok: true, delivered: false });

    const back = await connect(bob, 'res-b');
    const ready = back.all('session:ready')[0]!;
    expect(ready.activeCalls).toMatchObject([{ callId, peer: alice.user, role: 'callee', peerConnected: true, peerDeviceId: a.deviceId }]);
    expect(ready.presence).toBe('busy');
    expect(await back.next('call:signal')).toEqual({ callId, from: alice.user, deviceId: a.deviceId, data: candidate, seq: 1, stream: expect.any(String) });
    expect(await a.next('call:peer-connection')).toEqual({ callId, connected: true });
    await back.ok('call:hangup', { callId });
    expect(await a.next('call:ended')).toMatchObject({ callId, reason: 'hangup', by: bob.user.userId });
  });

  it('without a reconnect the call ends with connection-lost for the remaining side', async () => {
    const { bob, a, b, callId } = await answeredCall('lost');
    b.close();
    await a.next('call:peer-connection');
    expect(await a.next('call:ended', () => true, 10_000)).toEqual({ callId, reason: 'connection-lost' });
    const history = await api<HistoryResponse>(rig.url, 'GET', '/api/history', undefined, bob.accessToken);
    expect(history.calls[0]).toMatchObject({ callId, outcome: 'answered', endReason: 'connection-lost', missed: false });
  });

  it('a ringing caller whose signalling drops and comes back keeps its outgoing call', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await connect(alice, 'cr-a');
    const b = await connect(bob, 'cr-b');
    const first = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    a.close();
    const again = await connect(alice, 'cr-a');
    expect(again.all('session:ready')[0]!.outgoingCalls).toMatchObject([{ callId: first.callId, callee: bob.user }]);
    await b.ok('call:reject', { callId: first.callId });
    expect(await again.next('call:ended')).toMatchObject({ callId: first.callId, reason: 'declined' });
  });
});
