import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer();
const online = rig.connect;

async function pair() {
  const alice = await newUser(rig.url, 'alice');
  const bob = await newUser(rig.url, 'bob');
  return { alice, bob, a: await online(alice, `a${alice.user.username}`), b: await online(bob, `b${bob.user.username}`) };
}

describe('call flows over raw sockets', () => {
  it('answers a call and relays signals both ways with the server identity', async () => {
    const { alice, bob, a, b } = await pair();
    const invite = await a.ok('call:invite', { to: bob.user.username, media: 'video' });
    expect(invite).toMatchObject({ status: 'ringing', devices: 1, callee: bob.user });

    const incoming = await b.next('call:incoming');
    expect(incoming).toMatchObject({ callId: invite.callId, from: alice.user, media: 'video' });
    await b.ok('call:ringing', { callId: invite.callId, silent: false });
    expect(await a.next('call:ringing')).toEqual({ callId: invite.callId, deviceId: b.deviceId, silent: false });

    expect(await b.ok('call:accept', { callId: invite.callId })).toMatchObject({ caller: alice.user });
    expect(await a.next('call:accepted')).toEqual({ callId: invite.callId, by: bob.user, deviceId: b.deviceId });

    const offer = { type: 'offer', sdp: 'v=0 offer' };
    expect(await a.ok('call:signal', { callId: invite.callId, data: offer })).toMatchObject({ delivered: true });
    expect(await b.next('call:signal')).toEqual({ callId: invite.callId, from: alice.user, deviceId: a.deviceId, data: offer, seq: 1, stream: expect.any(String) });
    const answer = { type: 'answer', sdp: 'v=0 answer' };
    await b.ok('call:signal', { callId: invite.callId, data: answer });
    expect(await a.next('call:signal')).toEqual({ callId: invite.callId, from: bob.user, deviceId: b.deviceId, data: answer, seq: 1, stream: expect.any(String) });
    const candidate = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
    await b.ok('call:signal', { callId: invite.callId, data: candidate });
    expect((await a.next('call:signal')).data).toEqual(candidate);

    await a.ok('call:hold', { callId: invite.callId, held: true });
    expect(await b.next('call:hold')).toEqual({ callId: invite.callId, held: true, by: alice.user.userId });
    await b.ok('call:mute', { callId: invite.callId, muted: true });
    expect(await a.next('call:mute')).toEqual({ callId: invite.callId, muted: true, by: bob.user.userId });

    await b.ok('call:hangup', { callId: invite.callId });
    expect(await a.next('call:ended')).toEqual({ callId: invite.callId, reason: 'hangup', by: bob.user.userId });
    expect(await b.next('call:ended')).toEqual({ callId: invite.callId, reason: 'hangup', by: bob.user.userId });
    const after = await a.request('call:signal', { callId: invite.callId, data: offer });
    expect(after).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
  });

  it('rings every device; the first accept wins and the others are told answered-elsewhere', async () => {
    const { bob, a, b: b1 } = await pair();
    const b2 = await online(bob, `b2${bob.user.username}`);
    const invite = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(invite.devices).toBe(2);
    await b1.next('call:incoming');
    await b2.next('call:incoming');
    await b2.ok('call:accept', { callId: invite.callId });
    expect(await b1.next('call:ended')).toEqual({ callId: invite.callId, reason: 'answered-elsewhere' });
    expect(await b1.request('call:accept', { callId: invite.callId })).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED' } });
    // Signals now run only between the caller's device and b2.
    expect(await b1.request('call:signal', { callId: invite.callId, data: { renegotiate: true } })).toMatchObject({
      ok: false,
      error: { code: 'CALL_NOT_FOUND' },
    });
    await a.ok('call:signal', { callId: invite.callId, data: { renegotiate: true } });
    await b2.next('call:signal');
    await b1.settle();
    expect(b1.all('call:signal')).toHaveLength(0);
    await a.ok('call:hangup', { callId: invite.callId });
    await b2.next('call:ended');
  });

  it('ends as declined only when every device declined', async () => {
    const { bob, a, b: b1 } = await pair();
    const b2 = await online(bob, `b2${bob.user.username}`);
    const invite = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b1.next('call:incoming');
    await b2.next('call:incoming');
    await b1.ok('call:reject', { callId: invite.callId, reason: 'declined' });
    await a.settle();
    expect(a.all('call:ended')).toHaveLength(0);
    expect(await b1.request('call:accept', { callId: invite.callId })).toMatchObject({ ok: false, error: { code: 'NOT_RINGING_HERE' } });
    await b2.ok('call:reject', { callId: invite.callId });
    expect(await a.next('call:ended')).toMatchObject({ callId: invite.callId, reason: 'declined' });
    await b1.settle();
    expect(b1.all('call:ended')).toHaveLength(0);
  });

  it('a media-failed hang-up that says when media was last seen is recorded up to then (never before the answer)', async () => {
    const alice = await newUser(rig.url, 'media');
    const bob = await newUser(rig.url, 'mediab');
    const a = await rig.connect(alice, 'media-a');
    const b = await rig.connect(bob, 'media-b');
    const talk = async (mediaLastSeenAt: (answeredAt: number) => string) => {
      const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
      await b.next('call:incoming', (c) => c.callId === callId);
      const answeredAt = Date.now();
      await b.ok('call:accept', { callId });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await a.ok('call:hangup', { callId, reason: 'media-failed', mediaLastSeenAt: mediaLastSeenAt(answeredAt) });
      await b.next('call:ended', (e) => e.callId === callId);
      const history = await api<HistoryResponse>(rig.url, 'GET', '/api/history', undefined, alice.accessToken);
      return history.calls.find((c) => c.callId === callId)!;
    };
    const early = await talk((answeredAt) => new Date(answeredAt + 500).toISOString());
    expect(early).toMatchObject({ endReason: 'media-failed', outcome: 'answered' });
    expect(early.talkMs).toBeGreaterThanOrEqual(300);
    expect(early.talkMs).toBeLessThan(1_200);
    const beforeAnswer = await talk((answeredAt) => new Date(answeredAt - 60_000).toISOString());
    expect(beforeAnswer.talkMs).toBe(0);
  });

  it('busy, dnd and blocked end the call at once for every device', async () => {
    for (const [reason, callerSees] of [
      ['busy', 'busy'],
      ['dnd', 'dnd'],
      ['blocked', 'declined'],
    ] as const) {
      const { bob, a, b: b1 } = await pair();
      const b2 = await online(bob, `b2${bob.user.username}`);
      const invite = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
      await b1.next('call:incoming');
      await b1.ok('call:reject', { callId: invite.callId, reason });
      expect(await a.next('call:ended')).toMatchObject({ callId: invite.callId, reason: callerSees });
      expect(await b2.next('call:ended')).toMatchObject({ callId: invite.callId, reason: 'declined-elsewhere' });
    }
  });

  it('cancel stops every ringing device and the caller', async () => {
    const { alice, bob, a, b } = await pair();
    const invite = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await a.ok('call:cancel', { callId: invite.callId });
    expect(await b.next('call:ended')).toEqual({ callId: invite.callId, reason: 'cancelled', by: alice.user.userId });
    expect(await a.next('call:ended')).toEqual({ callId: invite.callId, reason: 'cancelled', by: alice.user.userId });
    // The cancelled call is a missed call for the callee, delivered live.
    expect((await b.next('missed:calls')).calls[0]).toMatchObject({ callId: invite.callId, from: alice.user, reason: 'cancelled' });
  });

  it('a callee with no device online is unavailable at once and gets the missed call at next connect, once', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await online(alice, `a${alice.user.username}`);
    const invite = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(invite).toMatchObject({ status: 'unavailable', devices: 0, callee: bob.user });
    await a.settle();
    expect(a.all('call:ended')).toHaveLength(0);

    const b = await online(bob, `b${bob.user.username}`);
    const missed = await b.next('missed:calls');
    expect(missed.calls).toHaveLength(1);
    expect(missed.calls[0]).toMatchObject({ callId: invite.callId, from: alice.user, reason: 'unavailable', media: 'audio' });
    expect(await b.ok('missed:ack', { ids: [missed.calls[0]!.id] })).toEqual({ ok: true, acknowledged: 1 });
    b.close();
    const again = await online(bob, `b${bob.user.username}`);
    await again.settle();
    expect(again.all('missed:calls')).toHaveLength(0);
  });

  it('refuses unknown users and self-calls', async () => {
    const { alice, a } = await pair();
    expect(await a.request('call:invite', { to: 'nobody-here', media: 'audio' })).toMatchObject({ ok: false, error: { code: 'USER_NOT_FOUND' } });
    expect(await a.request('call:invite', { to: alice.user.username, media: 'audio' })).toMatchObject({ ok: false, error: { code: 'SELF_CALL' } });
  });

  it('a device that connects while a call rings gets it in pendingInvites and can answer', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await online(alice, `a${alice.user.username}`);
    const b1 = await online(bob, `b${bob.user.username}`);
    const invite = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    const b2 = await online(bob, `b2${bob.user.username}`);
    const ready = b2.all('session:ready')[0]!;
    expect(ready.pendingInvites.map((call) => call.callId)).toEqual([invite.callId]);
    expect(a.all('session:ready')[0]!.outgoingCalls).toEqual([]);
    await b2.ok('call:accept', { callId: invite.callId });
    expect(await b1.next('call:ended', (e) => e.callId === invite.callId)).toMatchObject({ reason: 'answered-elsewhere' });
    expect(await a.next('call:accepted')).toMatchObject({ deviceId: b2.deviceId });
    await a.ok('call:hangup', { callId: invite.callId });
  });
});
