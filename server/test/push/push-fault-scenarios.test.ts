import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../../shared/protocol';
import { newUser } from '../helpers/raw-device';
import { api } from '../../../test/support/server';
import { apnsToken, fcmToken } from './support/payloads';
import type { RecordedPush } from './support/stand-in-core';
import { eventually, startPushTestBed, type PushTestBed } from './support/push-server';

/** Provider faults (issue 6) against the real server: dead tokens, retries, a hanging APNs. */
let bed: PushTestBed;

beforeAll(async () => {
  // A request timeout longer than the ring window: a push awaited on the invite path would hold the ack until the call is over.
  bed = await startPushTestBed({ RING_TIMEOUT_MS: '4000', PUSH_REQUEST_TIMEOUT_MS: '30000' });
});

afterEach(() => {
  expect(bed.endTest()).toEqual([]);
});

afterAll(async () => {
  await bed?.stop();
});

const connect = (user: AuthResponse, deviceId: string) => bed.connect(user, deviceId);

async function pair() {
  const alice = await newUser(bed.server.url, 'alice');
  const bob = await newUser(bed.server.url, 'bob');
  return { alice, bob, desk: await connect(alice, 'alice-desk-01') };
}

const iphone = (token: string) => ({ platform: 'ios-voip' as const, token, bundleId: 'com.example.softphone', environment: 'sandbox' as const });
const pixel = (token: string) => ({ platform: 'android-fcm' as const, token });
const invitesTo = <P extends { type: string; callId: string }>(pushes: Array<RecordedPush<P>>, token: string, callId: string) =>
  pushes.filter((p) => p.token === token && p.payload.type === 'invite' && p.payload.callId === callId);

describe('push provider faults', () => {
  it.each([
    ['APNs 410 Unregistered', 'ios', { kind: 'error', status: 410 }],
    ['APNs 400 BadDeviceToken', 'ios', { kind: 'error', status: 400, reason: 'BadDeviceToken' }],
    ['FCM UNREGISTERED', 'android', { kind: 'error', status: 404 }],
  ] as const)('removes a dead token after %s and logs it', async (_label, platform, answer) => {
    const { bob, desk } = await pair();
    const token = platform === 'ios' ? apnsToken() : fcmToken();
    const recorder = platform === 'ios' ? bed.apns.recorder : bed.fcm.recorder;
    recorder.script(token, answer);
    await bed.registerDevice(bob.accessToken, 'bob-phone-001', platform === 'ios' ? iphone(token) : pixel(token));
    await bed.registerDevice(bob.accessToken, 'bob-phone-002', platform === 'ios' ? iphone(apnsToken()) : pixel(fcmToken()));

    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 2 });
    const remaining = await eventually(async () => {
      const list = await bed.listDevices(bob.accessToken);
      return list.length === 1 ? list : undefined;
    }, 'the dead registration to go');
    expect(remaining.map((d) => d.deviceId)).toEqual(['bob-phone-002']);
    expect(recorder.pushesTo(token)).toHaveLength(1); // a dead token is not retried
    await eventually(() => (bed.server.logs().includes('"event":"push-token-removed"') && bed.server.logs().includes('bob-phone-001') ? true : undefined), 'the log line');

    await desk.ok('call:cancel', { callId: ack.callId });
    await recorder.waitForPush((p) => p.payload.type === 'cancel' && p.payload.callId === ack.callId);
    expect(recorder.pushesTo(token).map((p) => p.payload.type)).toEqual(['invite']); // no cancel to a dead token
  });

  it('retries 429 and 5xx within the ring window, then the call ends unanswered and is recorded as missed', async () => {
    const { bob, desk } = await pair();
    const [iosToken, androidToken] = [apnsToken(), fcmToken()];
    bed.apns.recorder.script(iosToken, ...Array.from({ length: 100 }, (_, i) => ({ kind: 'error' as const, status: i % 2 ? 503 : 500 })));
    bed.fcm.recorder.script(androidToken, ...Array.from({ length: 100 }, () => ({ kind: 'error' as const, status: 429, retryAfter: '1' })));
    await bed.registerDevice(bob.accessToken, 'bob-iphone-01', iphone(iosToken));
    await bed.registerDevice(bob.accessToken, 'bob-pixel-001', pixel(androidToken));

    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 2 });
    expect(await desk.next('call:ended', (e) => e.callId === ack.callId)).toMatchObject({ reason: 'no-answer' });

    const apnsInvites = invitesTo(bed.apns.recorder.pushes, iosToken, ack.callId);
    const fcmInvites = invitesTo(bed.fcm.recorder.pushes, androidToken, ack.callId);
    expect(apnsInvites.length).toBeGreaterThanOrEqual(3);
    expect(fcmInvites.length).toBeGreaterThanOrEqual(2);
    // Retry-After: 1 is honoured: FCM attempts are at least a second apart.
    fcmInvites.slice(1).forEach((push, i) => expect(push.at - fcmInvites[i]!.at).toBeGreaterThanOrEqual(950));
    // No invite attempt after the ring window.
    const first = apnsInvites[0]!.payload;
    const ringUntil = Date.parse(first.type === 'invite' ? first.ringUntil : '');
    expect(ringUntil).toBeGreaterThan(0);
    for (const push of [...apnsInvites, ...fcmInvites]) expect(push.at).toBeLessThanOrEqual(ringUntil + 1_000);

    expect(bed.callRecord(ack.callId)).toMatchObject({ outcome: 'no-answer', push_latency_ms: null });
    const phone = await connect(bob, 'bob-iphone-01');
    expect((await phone.next('missed:calls')).calls.map((c) => c.callId)).toContain(ack.callId);
  });

  it('delivers after transient 503 and 429 answers and records the latency', async () => {
    const { bob, desk } = await pair();
    const token = apnsToken();
    bed.apns.recorder.script(token, { kind: 'error', status: 503 }, { kind: 'error', status: 429, retryAfter: '1' });
    await bed.registerDevice(bob.accessToken, 'bob-iphone-01', iphone(token));
    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    const latency = await eventually(() => bed.callRecord(ack.callId)?.push_latency_ms ?? undefined, 'push latency');
    expect(bed.apns.recorder.pushesTo(token).map((p) => p.answer.kind)).toEqual(['error', 'error', 'ok']);
    expect(latency).toBeGreaterThanOrEqual(1000); // it waited out Retry-After before the acknowledged attempt
    await desk.ok('call:cancel', { callId: ack.callId });
  });

  it('rings the socket devices at once while the APNs stand-in hangs, and FCM is not held up', async () => {
    const { bob, desk } = await pair();
    const [iosToken, androidToken] = [apnsToken(), fcmToken()];
    bed.apns.recorder.script(iosToken, { kind: 'hang' }); // the invite push hangs; later pushes are answered
    await bed.registerDevice(bob.accessToken, 'bob-iphone-01', iphone(iosToken));
    await bed.registerDevice(bob.accessToken, 'bob-pixel-001', pixel(androidToken));
    const bobDesk = await connect(bob, 'bob-desk-001');

    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    expect(ack).toMatchObject({ status: 'ringing', devices: 3 });
    expect(await bobDesk.next('call:incoming')).toMatchObject({ callId: ack.callId });
    const hanging = await bed.apns.recorder.waitForPush((p) => p.token === iosToken && p.payload.callId === ack.callId);
    expect(hanging.answer.kind).toBe('hang');
    expect(bed.apns.openHangs()).toBe(1); // the caller has its ack and the desktop rings while APNs has not answered

    // While that request hangs, FCM delivers and is acknowledged (latency recorded), and the desktop can answer.
    await bed.fcm.recorder.waitForPush((p) => p.token === androidToken && p.payload.callId === ack.callId);
    expect(await eventually(() => bed.callRecord(ack.callId)?.push_latency_ms ?? undefined, 'FCM ack latency')).toBeGreaterThanOrEqual(0);
    await bobDesk.ok('call:accept', { callId: ack.callId });
    expect(await desk.next('call:accepted')).toMatchObject({ callId: ack.callId, by: bob.user, deviceId: 'bob-desk-001' });

    // The answer calls the hung invite push off, and both phones get a cancel push (the iPhone's invite may have got through).
    await eventually(() => (bed.apns.openHangs() === 0 ? true : undefined), 'the hung APNs request to be called off');
    expect((await bed.apns.recorder.waitForPush((p) => p.token === iosToken && p.payload.type === 'cancel')).payload).toMatchObject({
      callId: ack.callId,
      reason: 'answered-elsewhere',
    });
    await desk.ok('call:hangup', { callId: ack.callId });
    expect(await bobDesk.next('call:ended', (e) => e.callId === ack.callId)).toMatchObject({ reason: 'hangup' });
    expect((await bed.fcm.recorder.waitForPush((p) => p.token === androidToken && p.payload.type === 'cancel')).payload).toMatchObject({
      callId: ack.callId,
      reason: 'answered-elsewhere',
    });
  });

  it('retries a refused cancel push as durable timers until it is delivered, and never to a phone unregistered meanwhile', async () => {
    const { bob, desk } = await pair();
    const [kept, dropped] = [fcmToken(), fcmToken()];
    bed.fcm.recorder.script(kept, { kind: 'ok' }, { kind: 'error', status: 503 }, { kind: 'error', status: 500 }); // invite, then two refused cancels
    bed.fcm.recorder.script(dropped, { kind: 'ok' }, { kind: 'error', status: 503, retryAfter: '1' });
    await bed.registerDevice(bob.accessToken, 'bob-pixel-01', pixel(kept));
    await bed.registerDevice(bob.accessToken, 'bob-pixel-02', pixel(dropped));
    const ack = await desk.ok('call:invite', { to: bob.user.username, media: 'audio' });
    const cancelsTo = (token: string) => bed.fcm.recorder.pushesTo(token).filter((p) => p.payload.type === 'cancel' && p.payload.callId === ack.callId);
    await eventually(() => (bed.fcm.recorder.pushesTo(dropped).length === 1 ? true : undefined), 'the invite pushes');

    await desk.ok('call:cancel', { callId: ack.callId });
    await eventually(() => (cancelsTo(dropped).length === 1 ? true : undefined), 'the first cancel attempt to the second phone');
    await api(bed.server.url, 'DELETE', '/api/push/devices/bob-pixel-02', undefined, bob.accessToken); // unregistered before its retry (Retry-After: 1 s) is due

    await eventually(() => (cancelsTo(kept).length === 3 ? true : undefined), 'the third cancel attempt');
    expect(cancelsTo(kept).map((p) => p.answer)).toEqual([{ kind: 'error', status: 503 }, { kind: 'error', status: 500 }, { kind: 'ok' }]);
    expect(cancelsTo(kept)[2]!.payload).toMatchObject({ type: 'cancel', reason: 'cancelled' });
    const logLines = (event: string) => bed.server.logs().split('\n').filter((line) => line.includes(`"event":"${event}"`) && line.includes(ack.callId));
    expect(logLines('push-cancel-retry')).toHaveLength(3); // attempts 2 and 3 to the first phone, attempt 2 to the second
    await eventually(() => (logLines('push').some((line) => line.includes('"kind":"cancel"') && line.includes('"status":"delivered","attempts":3')) ? true : undefined), 'the delivered cancel logged as attempt 3');
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the second phone's Retry-After
    expect(cancelsTo(dropped)).toHaveLength(1);
  });
});
