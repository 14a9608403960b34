import { describe, expect, it } from 'vitest';
import type { ClientEventName } from '../../shared/protocol';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer();
const connect = rig.connect;

const offer = { type: 'offer', sdp: 'v=0' };

describe('only participants act on a call', () => {
  it('third users and third devices are refused with CALL_NOT_FOUND and nothing changes', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const mallory = await newUser(rig.url, 'mallory');
    const a = await connect(alice, 'auth-a');
    const b1 = await connect(bob, 'auth-b1');
    const b2 = await connect(bob, 'auth-b2');
    const a2 = await connect(alice, 'auth-a2');
    // Mallory even reuses Alice's device id: ids are scoped to the authenticated user.
    const m = await connect(mallory, 'auth-a');

    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b1.next('call:incoming');
    await b2.next('call:incoming');
    const whileRinging: Array<[ClientEventName, object]> = [
      ['call:ringing', { callId, silent: false }],
      ['call:accept', { callId }],
      ['call:reject', { callId, reason: 'declined' }],
      ['call:reject', { callId, reason: 'blocked' }],
      ['call:cancel', { callId }],
      ['call:hangup', { callId }],
      ['call:signal', { callId, data: offer }],
      ['call:hold', { callId, held: true }],
    ];
    for (const intruder of [m, a2]) {
      for (const [event, payload] of whileRinging) {
        expect(await intruder.request(event, payload), `${intruder.deviceId} ${event}`).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
      }
    }
    // The callee cannot cancel, the caller cannot accept.
    expect(await b1.request('call:cancel', { callId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await a.request('call:accept', { callId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

    await a.settle();
    await b1.settle();
    await b2.settle();
    expect(a.all('call:ended')).toHaveLength(0);
    expect(a.all('call:ringing')).toHaveLength(0);
    expect(b1.all('call:ended')).toHaveLength(0);
    expect(b2.all('call:ended')).toHaveLength(0);
    expect(a.socket.connected).toBe(true);

    await b1.ok('call:accept', { callId });
    await a.next('call:accepted');
    await b2.next('call:ended');
    for (const intruder of [m, a2, b2]) {
      for (const [event, payload] of [
        ['call:hangup', { callId }],
        ['call:signal', { callId, data: offer }],
        ['call:hold', { callId, held: true }],
        ['call:cancel', { callId }],
      ] as Array<[ClientEventName, object]>) {
        const ack = await intruder.request(event, payload);
        expect(ack.ok, `${intruder.deviceId} ${event}`).toBe(false);
        if (!ack.ok) expect(['CALL_NOT_FOUND', 'INVALID_STATE']).toContain(ack.error.code);
      }
    }
    // The call is still up between a and b1 only.
    await a.ok('call:signal', { callId, data: offer });
    expect(await b1.next('call:signal')).toMatchObject({ from: alice.user, deviceId: a.deviceId });
    await a.settle();
    expect(a.all('call:ended')).toHaveLength(0);
    expect(a.all('call:hold')).toHaveLength(0);
    expect(m.all('call:signal')).toHaveLength(0);
    expect(a2.all('call:signal')).toHaveLength(0);
    await a.ok('call:hangup', { callId });
  });

  it('spoofed from fields are refused by the strict schemas; receivers see the server identity', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await connect(alice, 'spoof-a');
    const b = await connect(bob, 'spoof-b');
    const spoofedInvite = await a.request('call:invite', { to: bob.user.username, media: 'audio', from: { userId: bob.user.userId } });
    expect(spoofedInvite).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    await b.settle();
    expect(b.all('call:incoming')).toHaveLength(0);

    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect((await b.next('call:incoming')).from).toEqual(alice.user);
    await b.ok('call:accept', { callId });
    for (const payload of [
      { callId, data: offer, from: bob.user },
      { callId, data: offer, deviceId: 'dev-someone-else' },
      { callId, data: { ...offer, from: bob.user } },
    ]) {
      expect(await a.request('call:signal', payload)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    await b.settle();
    expect(b.all('call:signal')).toHaveLength(0);
    await a.ok('call:signal', { callId, data: offer });
    expect(await b.next('call:signal')).toEqual({ callId, from: alice.user, deviceId: a.deviceId, data: offer, seq: 1, stream: expect.any(String) });
    await b.ok('call:hangup', { callId });
  });
});
