import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../../shared/protocol';
import { newUser } from '../helpers/raw-device';
import { startPushTestBed, eventually, type PushTestBed } from './support/push-server';
import { apnsToken, fcmToken } from './support/payloads';

/** Scenarios of issue 6 against the real server process, APNs and FCM replaced by local stand-ins. */
let bed: PushTestBed;

beforeAll(async () => {
  bed = await startPushTestBed({ RING_TIMEOUT_MS: '4000' });
});

afterEach(() => {
  expect(bed.endTest()).toEqual([]);
});

afterAll(async () => {
  await bed?.stop();
});

const connect = (user: AuthResponse, deviceId: string) => bed.connect(user, deviceId);

async function registerIphone(user: AuthResponse, deviceId: string): Promise<string> {
  const token = apnsToken();
  await bed.registerDevice(user.accessToken, deviceId, { platform: 'ios-voip', token, bundleId: bed.credentials.apns.bundleId, environment: 'sandbox' });
  return token;
}

async function registerAndroid(user: AuthResponse, deviceId: string): Promise<string> {
  const token = fcmToken();
  await bed.registerDevice(user.accessToken, deviceId, { platform: 'android-fcm', token });
  return token;
}

const apnsPush = (token: string, type: 'invite' | 'cancel', callId: string) =>
  bed.apns.recorder.waitForPush((push) => push.token === token && push.payload.type === type && push.payload.callId === callId);
const fcmPush = (token: string, type: 'invite' | 'cancel', callId: string) =>
  bed.fcm.recorder.waitForPush((push) => push.token === token && push.payload.type === type && push.payload.callId === callId);

describe('VoIP push in the call flow', () => {
  it('wakes a phone-only callee: VoIP push, the phone connects, gets the pending invite, accepts, and the call connects', async () => {
    const [alice, bob] = [await newUser(bed.server.url, 'alice'), await newUser(bed.server.url, 'bob')];
    const token = await registerIphone(bob, 'bob-iphone-01');
    const desk = await connect(alice, 'alice-desk-01');

    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'video' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 1 });
    const push = await apnsPush(token, 'invite', ack.callId);
    expect(push.payload).toMatchObject({ type: 'invite', callId: ack.callId, caller: alice.user, media: 'video' });

    const phone = await connect(bob, 'bob-iphone-01');
    const ready = phone.all('session:ready')[0];
    expect(ready?.pendingInvites.map((invite) => invite.callId)).toEqual([ack.callId]);
    expect(ready?.pendingInvites[0]?.from).toEqual(alice.user);

    await phone.ok('call:ringing', { callId: ack.callId, silent: false });
    expect(await phone.ok('call:accept', { callId: ack.callId })).toEqual({ ok: true, caller: alice.user, peerConnected: true });
    expect(await desk.next('call:accepted')).toMatchObject({ callId: ack.callId, deviceId: 'bob-iphone-01' });
    await desk.ok('call:signal', { callId: ack.callId, data: { type: 'offer', sdp: 'v=0 offer' } });
    expect(await phone.next('call:signal')).toMatchObject({ callId: ack.callId, from: alice.user, data: { type: 'offer', sdp: 'v=0 offer' } });

    // The invite->provider-ack latency is in the call record.
    const latency = await eventually(() => bed.callRecord(ack.callId)?.push_latency_ms ?? undefined, 'push latency');
    expect(latency).toBeGreaterThanOrEqual(0);

    await phone.ok('call:hangup', { callId: ack.callId });
    await desk.next('call:ended', (ended) => ended.callId === ack.callId);
    await desk.ok('presence:subscribe', { userIds: [bob.user.userId] });
    phone.close();
    await desk.next('presence:changed', (change) => change.userId === bob.user.userId && change.status === 'offline');

    // The phone that answered never gets a cancel: the next call's invite push arrives with no cancel before it.
    const second = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await apnsPush(token, 'invite', second.callId);
    expect(bed.apns.recorder.pushesTo(token).map((p) => [p.payload.type, p.payload.callId])).toEqual([
      ['invite', ack.callId],
      ['invite', second.callId],
    ]);
    await desk.ok('call:cancel', { callId: second.callId });
    expect((await apnsPush(token, 'cancel', second.callId)).payload).toMatchObject({ reason: 'cancelled', caller: alice.user });
  });

  it('rings a desktop and a phone; the desktop answers and the phone gets a cancel push', async () => {
    const [alice, bob] = [await newUser(bed.server.url, 'alice'), await newUser(bed.server.url, 'bob')];
    const token = await registerAndroid(bob, 'bob-pixel-01');
    const bobDesk = await connect(bob, 'bob-desk-01');
    const desk = await connect(alice, 'alice-desk-01');

    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 2 });
    expect(await bobDesk.next('call:incoming')).toMatchObject({ callId: ack.callId, from: alice.user });
    expect((await fcmPush(token, 'invite', ack.callId)).payload).toMatchObject({ callerUsername: alice.user.username, media: 'audio' });

    await bobDesk.ok('call:accept', { callId: ack.callId });
    const cancel = await fcmPush(token, 'cancel', ack.callId);
    expect(cancel.payload).toMatchObject({ type: 'cancel', reason: 'answered-elsewhere', callerUserId: alice.user.userId });
    await desk.ok('call:hangup', { callId: ack.callId });
    expect(bed.fcm.recorder.pushesTo(token).filter((p) => p.payload.type === 'cancel')).toHaveLength(1);
  });

  it('does not push a phone that is online on its socket', async () => {
    const [alice, bob] = [await newUser(bed.server.url, 'alice'), await newUser(bed.server.url, 'bob')];
    const token = await registerIphone(bob, 'bob-iphone-01');
    const phone = await connect(bob, 'bob-iphone-01');
    const desk = await connect(alice, 'alice-desk-01');
    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 1 });
    await phone.next('call:incoming');
    await desk.ok('call:cancel', { callId: ack.callId });
    await phone.next('call:ended');
    // A push to another phone of the same moment shows the stand-in is reachable; none reached this token.
    const other = await newUser(bed.server.url, 'carol');
    const otherToken = await registerIphone(other, 'carol-iphone-1');
    const probe = await desk.ok('call:invite', { to: other.user.username, media: 'audio' });
    await apnsPush(otherToken, 'invite', probe.callId);
    await desk.ok('call:cancel', { callId: probe.callId });
    expect(bed.apns.recorder.pushesTo(token)).toEqual([]);
    expect(bed.callRecord(ack.callId)?.push_latency_ms).toBeNull();
  });

  it('sends cancel pushes to every pushed phone when the caller cancels', async () => {
    const [alice, bob] = [await newUser(bed.server.url, 'alice'), await newUser(bed.server.url, 'bob')];
    const iphone = await registerIphone(bob, 'bob-iphone-01');
    const pixel = await registerAndroid(bob, 'bob-pixel-01');
    const desk = await connect(alice, 'alice-desk-01');
    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 2 });
    await Promise.all([apnsPush(iphone, 'invite', ack.callId), fcmPush(pixel, 'invite', ack.callId)]);
    await desk.ok('call:cancel', { callId: ack.callId });
    const [apnsCancel, fcmCancel] = await Promise.all([apnsPush(iphone, 'cancel', ack.callId), fcmPush(pixel, 'cancel', ack.callId)]);
    expect(apnsCancel.payload).toMatchObject({ reason: 'cancelled' });
    expect(fcmCancel.payload).toMatchObject({ reason: 'cancelled' });
    expect(bed.callRecord(ack.callId)?.outcome).toBe('cancelled');
  });

  it('sends a cancel push when the ring timer ends the call, and the callee has a missed call', async () => {
    const [alice, bob] = [await newUser(bed.server.url, 'alice'), await newUser(bed.server.url, 'bob')];
    const iphone = await registerIphone(bob, 'bob-iphone-01');
    const desk = await connect(alice, 'alice-desk-01');
    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await apnsPush(iphone, 'invite', ack.callId);
    expect(await desk.next('call:ended', (e) => e.callId === ack.callId)).toMatchObject({ reason: 'no-answer' });
    expect((await apnsPush(iphone, 'cancel', ack.callId)).payload).toMatchObject({ reason: 'no-answer' });
    const phone = await connect(bob, 'bob-iphone-01');
    expect((await phone.next('missed:calls')).calls.map((call) => call.callId)).toContain(ack.callId);
  });

  it('sends cancel pushes when every device declined (the woken phone declines too)', async () => {
    const [alice, bob] = [await newUser(bed.server.url, 'alice'), await newUser(bed.server.url, 'bob')];
    const iphone = await registerIphone(bob, 'bob-iphone-01');
    const bobDesk = await connect(bob, 'bob-desk-01');
    const desk = await connect(alice, 'alice-desk-01');
    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 2 });
    await apnsPush(iphone, 'invite', ack.callId);

    await bobDesk.ok('call:reject', { callId: ack.callId, reason: 'declined' });
    // The pushed phone still rings: the call is not over until it declines as well.
    const phone = await connect(bob, 'bob-iphone-01');
    expect(phone.all('session:ready')[0]?.pendingInvites.map((i) => i.callId)).toEqual([ack.callId]);
    await phone.ok('call:reject', { callId: ack.callId, reason: 'declined' });
    expect(await desk.next('call:ended', (e) => e.callId === ack.callId)).toMatchObject({ reason: 'declined' });
    expect((await apnsPush(iphone, 'cancel', ack.callId)).payload).toMatchObject({ reason: 'declined' });
  });
});
