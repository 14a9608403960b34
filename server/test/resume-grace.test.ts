import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

/** The caller's signalling drops while its call rings: a short grace (long enough to come back in a test), and a ring timer that never fires first. */
const rig = useRawServer({ RING_TIMEOUT_MS: '60000', CALL_RESUME_GRACE_MS: '3000' });

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
