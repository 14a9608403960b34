import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { lineAdmin, newLine } from './helpers/lines';
import { newUser, type RawDevice } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

/**
 * The caller's signalling drops while its call rings, or while it waits in a service line: a short grace (long enough
 * to come back in a test), and a ring timer that never fires first.
 */
const rig = useRawServer({ RING_TIMEOUT_MS: '60000', CALL_RESUME_GRACE_MS: '3000', ADMIN_USERS: 'line-admin' });

/** Closes the device's socket and returns once the server has seen it go (`witness` is another device on the server). */
async function drop(device: RawDevice, witness: RawDevice): Promise<void> {
  const gone = new Promise((resolve) => device.socket.once('disconnect', resolve));
  device.close();
  await gone;
  await witness.settle();
}

async function ringingCallWithCallerGone(tag: string) {
  const alice = await newUser(rig.url, 'alice');
  const bob = await newUser(rig.url, 'bob');
  const a = await rig.connect(alice, `${tag}-a`);
  const b = await rig.connect(bob, `${tag}-b`);
  const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
  await b.next('call:incoming');
  const gone = new Promise((resolve) => a.socket.once('disconnect', resolve));
  a.close();
  await gone;
  await b.settle(); // the server has seen the caller go before anything else happens
  return { alice, bob, b, callId };
}

const historyOf = async (token: string, callId: string) =>
  (await api<HistoryResponse>(rig.url, 'GET', '/api/history', undefined, token)).calls.find((call) => call.callId === callId);

describe('resume grace of a ringing caller', () => {
  it('a caller that stays away past the grace: the call ends cancelled / connection-lost and is a missed call', async () => {
    const { alice, bob, b, callId } = await ringingCallWithCallerGone('gone');
    expect(await b.next('call:ended', (e) => e.callId === callId)).toEqual({ callId, reason: 'connection-lost' });
    expect((await b.next('missed:calls')).calls).toMatchObject([{ callId, from: alice.user, reason: 'connection-lost' }]);
    expect(await historyOf(bob.accessToken, callId)).toMatchObject({ outcome: 'cancelled', endReason: 'connection-lost', missed: true, talkMs: null });
    expect(await historyOf(alice.accessToken, callId)).toMatchObject({ direction: 'outgoing', outcome: 'cancelled', endReason: 'connection-lost', missed: false });
    expect(await b.request('call:accept', { callId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
  });

  it('the callee accepts while the caller is away: told the peer is not connected, then connected when it returns', async () => {
    const { alice, bob, b, callId } = await ringingCallWithCallerGone('back');
    expect(await b.ok('call:accept', { callId })).toEqual({ ok: true, caller: alice.user, peerConnected: false });
    const a = await rig.connect(alice, 'back-a');
    expect(a.all('session:ready')[0]!.activeCalls).toMatchObject([{ callId, role: 'caller', peer: bob.user, peerDeviceId: b.deviceId, peerConnected: true }]);
    expect(await b.next('call:peer-connection')).toEqual({ callId, connected: true });
    await a.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 after-return' } });
    expect(await b.next('call:signal')).toMatchObject({ callId, from: alice.user, data: { sdp: 'v=0 after-return' } });
    await b.ok('call:hangup', { callId });
    expect(await a.next('call:ended')).toEqual({ callId, reason: 'hangup', by: bob.user.userId });
  });

  it('the callee accepts while the caller is away and it never returns: connection-lost for the callee', async () => {
    const { bob, b, callId } = await ringingCallWithCallerGone('never');
    expect(await b.ok('call:accept', { callId })).toMatchObject({ peerConnected: false });
    expect(await b.next('call:ended', (e) => e.callId === callId)).toEqual({ callId, reason: 'connection-lost' });
    expect(await historyOf(bob.accessToken, callId)).toMatchObject({ outcome: 'answered', endReason: 'connection-lost', missed: false });
  });

  it('an accept with the caller connected says so', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await rig.connect(alice, 'here-a');
    const b = await rig.connect(bob, 'here-b');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    expect(await b.ok('call:accept', { callId })).toEqual({ ok: true, caller: alice.user, peerConnected: true });
    await a.ok('call:hangup', { callId });
  });
});

describe('resume grace of a caller waiting in a line', () => {
  it('a caller back within the grace keeps its place (session:ready.queuedCalls), hears the queue move, and is answered; one that stays away is abandoned', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, lost, back] = await Promise.all([newUser(rig.url, 'ann'), newUser(rig.url, 'lost'), newUser(rig.url, 'back')]);
    const line = await newLine(rig.url, admin, [ann], { strategy: 'ring-all', wrapUp: { mode: 'none', timeMs: 1_000 } });
    const a = await rig.connect(ann, 'qg-ann');
    await a.ok('presence:set', { status: 'away', reason: 'break' }); // nobody is offered a call until she is back
    const l = await rig.connect(lost, 'qg-lost');
    const first = await l.ok('call:invite', { to: line.name, media: 'audio' });
    const b = await rig.connect(back, 'qg-back');
    const second = await b.ok('call:invite', { to: line.name, media: 'video' });
    expect(second.queue).toMatchObject({ position: 2, waiting: 2 });

    // Both drop (the returning one first, so the one ahead's grace ends last); the returning one reconnects at once.
    await drop(b, a);
    await drop(l, a);
    const again = await rig.connect(back, 'qg-back');
    const ready = again.all('session:ready')[0]!;
    expect(ready.queuedCalls).toEqual([
      {
        callId: second.callId,
        line: { lineId: line.lineId, name: line.name, displayName: line.displayName },
        media: 'video',
        enqueuedAt: expect.any(String),
        giveUpAt: expect.any(String),
        ringUntil: second.ringUntil,
        queue: expect.objectContaining({ position: 2, waiting: 2 }),
      },
    ]);
    expect(ready.outgoingCalls).toEqual([]);

    // The one ahead stays away: past its grace it is abandoned (connection-lost) and the returning caller moves up,
    // still waiting although its own first drop's grace has run out by then.
    expect(await again.next('line:queue-status', (s) => s.queue.position === 1, 8_000)).toMatchObject({ callId: second.callId, queue: { waiting: 1 } });
    expect(await historyOf(lost.accessToken, first.callId)).toMatchObject({ outcome: 'abandoned', endReason: 'connection-lost' });

    // An agent becomes available and answers: the caller's device, reconnected, is told.
    await a.ok('presence:set', { status: 'online' });
    await a.next('call:incoming', (incoming) => incoming.callId === second.callId);
    expect(await a.ok('call:accept', { callId: second.callId })).toMatchObject({ caller: back.user, peerConnected: true });
    expect(await again.next('call:accepted')).toMatchObject({ callId: second.callId, by: { userId: ann.user.userId } });
    expect(a.all('call:incoming', (incoming) => incoming.callId === first.callId)).toEqual([]);
    await again.ok('call:hangup', { callId: second.callId });
  });

  it('an agent answers while the waiting caller is away: not connected yet, and the call ends connection-lost when the caller does not come back', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, cus] = await Promise.all([newUser(rig.url, 'ann'), newUser(rig.url, 'cus')]);
    const line = await newLine(rig.url, admin, [ann], { strategy: 'ring-all', wrapUp: { mode: 'none', timeMs: 1_000 } });
    const a = await rig.connect(ann, 'qa-ann');
    const c = await rig.connect(cus, 'qa-cus');
    const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
    await a.next('call:incoming', (incoming) => incoming.callId === callId);
    await drop(c, a);
    expect(await a.ok('call:accept', { callId })).toMatchObject({ caller: cus.user, peerConnected: false });
    expect(await a.next('call:ended', (e) => e.callId === callId, 8_000)).toEqual({ callId, reason: 'connection-lost' });
    expect(await historyOf(ann.accessToken, callId)).toMatchObject({ outcome: 'answered', endReason: 'connection-lost' });
  });
});
