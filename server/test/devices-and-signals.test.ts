import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { newUser, RawDevice } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

/**
 * Issue 10, items 6, 7 and 12 (server side): a cap on connected devices per user, per-socket limits
 * on call:signal, and honest signal delivery (acknowledged by the receiving device, or kept for it).
 */

const MAX_DEVICES = 4;
const rig = useRawServer({ MAX_DEVICES_PER_USER: String(MAX_DEVICES), SIGNAL_RATE_LIMIT: '20', SIGNAL_BYTE_LIMIT: '200000', SIGNAL_RATE_WINDOW_S: '30' });

async function answeredCall(name: string, options: { acknowledge?: boolean } = {}) {
  const alice = await newUser(rig.url, `${name}a`);
  const bob = await newUser(rig.url, `${name}b`);
  const a = await rig.connect(alice, `${name}-a`);
  const b = await RawDevice.connect(rig.url, bob.accessToken, `dev-${name}-b-000`, { acknowledge: options.acknowledge ?? true });
  const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
  await b.next('call:incoming');
  await b.ok('call:accept', { callId });
  await a.next('call:accepted');
  return { alice, bob, a, b, callId };
}

describe('devices per user', () => {
  it(`a user connects at most MAX_DEVICES_PER_USER (${MAX_DEVICES}) devices; one more is refused with TOO_MANY_DEVICES, an invite rings only the admitted ones`, async () => {
    const carol = await newUser(rig.url, 'many');
    const caller = await newUser(rig.url, 'manyc');
    const devices = [];
    for (let i = 0; i < MAX_DEVICES; i++) devices.push(await rig.connect(carol, `many-${i}`));
    // One more device hears why it is refused, then its connection closes (before any session:ready).
    let ready = false;
    const socket = io(rig.url, { transports: ['websocket'], reconnection: false, auth: { token: carol.accessToken, deviceId: 'dev-many-extra-001', protocolVersion: PROTOCOL_VERSION } });
    const refusal = await new Promise<{ closed: unknown; reason: string }>((resolve) => {
      let closed: unknown = null;
      socket.on('session:closed', (payload: unknown) => (closed = payload));
      socket.on('session:ready', () => (ready = true));
      socket.on('disconnect', (reason) => resolve({ closed, reason }));
    });
    expect(refusal).toEqual({ closed: { error: { code: 'TOO_MANY_DEVICES', message: expect.stringContaining(`${MAX_DEVICES} devices`) } }, reason: 'io server disconnect' });
    expect(ready).toBe(false);
    socket.close();

    const c = await rig.connect(caller, 'many-caller');
    expect(await c.ok('call:invite', { to: carol.user.username, media: 'audio' })).toMatchObject({ status: 'ringing', devices: MAX_DEVICES });
    // A known device reconnecting is not a new device; once one leaves, another fits.
    devices[0]!.close();
    await devices[1]!.settle();
    const back = await rig.connect(carol, 'many-new');
    expect(back.all('session:ready')).toHaveLength(1);
  });
});

describe('call:signal limits per device', () => {
  it('over SIGNAL_RATE_LIMIT messages per window: RATE_LIMITED with retryAfterMs, nothing relayed', async () => {
    const { a, b, callId } = await answeredCall('flood');
    const acks = [];
    for (let i = 0; i < 25; i++) acks.push(await a.request('call:signal', { callId, data: { type: 'candidate', candidate: { candidate: `candidate:${i} 1 udp 1 10.0.0.1 ${5000 + i} typ host` } } }));
    expect(acks.slice(0, 20).every((ack) => ack.ok)).toBe(true);
    expect(acks.slice(20)).toEqual(Array.from({ length: 5 }, () => ({ ok: false, error: { code: 'RATE_LIMITED', message: expect.any(String), retryAfterMs: expect.any(Number) } })));
    await b.settle();
    expect(b.all('call:signal')).toHaveLength(20);
    // The other side's own budget is untouched.
    expect(await b.ok('call:signal', { callId, data: { renegotiate: true } })).toEqual({ ok: true, delivered: true });
  });

  it('over SIGNAL_BYTE_LIMIT bytes per window: RATE_LIMITED', async () => {
    const { a, b, callId } = await answeredCall('bytes');
    const sdp = 'v=0\r\n'.padEnd(30_000, 'a');
    const acks = [];
    for (let i = 0; i < 8; i++) acks.push(await a.request('call:signal', { callId, data: { type: 'offer', sdp } }));
    expect(acks.map((ack) => ack.ok)).toEqual([true, true, true, true, true, true, false, false]);
    expect(acks[6]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringContaining('data') } });
    await b.settle();
    expect(b.all('call:signal')).toHaveLength(6);
  });
});

describe('honest signal delivery', () => {
  it('delivered: true only once the receiving device acknowledged; a signal it never acknowledged comes again, same seq, when it is back', async () => {
    const { bob, a, b, callId } = await answeredCall('honest', { acknowledge: false });
    const started = Date.now();
    const ack = await a.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 unacknowledged' } });
    expect(ack).toEqual({ ok: true, delivered: false });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000); // it waited for the device's acknowledgement
    expect(b.all('call:signal')).toMatchObject([{ seq: 1, data: { sdp: 'v=0 unacknowledged' } }]);

    // The device goes and comes back (same device id): the unacknowledged signal is delivered again, in order.
    b.close();
    await a.next('call:peer-connection', (p) => !p.connected);
    expect(await a.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 while away' } })).toEqual({ ok: true, delivered: false });
    const back = await RawDevice.connect(rig.url, bob.accessToken, b.deviceId);
    await back.next('call:signal', (s) => s.seq === 2);
    expect(back.all('call:signal').map((s) => [s.seq, 'sdp' in s.data ? s.data.sdp : null])).toEqual([
      [1, 'v=0 unacknowledged'],
      [2, 'v=0 while away'],
    ]);
    // Acknowledged now: a later signal is delivered, and nothing is sent a third time.
    expect(await a.ok('call:signal', { callId, data: { renegotiate: true } })).toEqual({ ok: true, delivered: true });
    back.close();
    await a.next('call:peer-connection', (p) => !p.connected);
    const again = await RawDevice.connect(rig.url, bob.accessToken, b.deviceId);
    await again.settle();
    expect(again.all('call:signal')).toEqual([]);
    again.close();
  });
});
