import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, api, removeDataDir, startServer, type TestServer } from '../../../test/support/server';
import { RawDevice, newUser } from '../helpers/raw-device';
import { apnsToken, fcmToken } from './support/payloads';
import { startPushTestBed, type PushTestBed } from './support/push-server';

/** The push-device registry over HTTP (real server), and a server with push unconfigured. */

async function failure(request: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: (error.body as { error: { code: string } }).error.code };
    throw error;
  }
  throw new Error('the request succeeded');
}

describe('push device registry API', () => {
  let bed: PushTestBed;
  beforeAll(async () => {
    bed = await startPushTestBed();
  });
  afterAll(async () => {
    await bed?.stop();
  });

  it('registers, updates, lists (without tokens) and unregisters the signed-in user’s devices', async () => {
    const bob = await newUser(bed.server.url, 'bob');
    const other = await newUser(bed.server.url, 'eve');
    const ios = await bed.registerDevice(bob.accessToken, 'bob-iphone-01', { platform: 'ios-voip', token: apnsToken(), bundleId: 'com.example.softphone' });
    expect(ios).toMatchObject({ deviceId: 'bob-iphone-01', platform: 'ios-voip', bundleId: 'com.example.softphone', environment: 'sandbox' });
    await bed.registerDevice(bob.accessToken, 'bob-pixel-001', { platform: 'android-fcm', token: fcmToken() });
    await bed.registerDevice(bob.accessToken, 'bob-iphone-01', { platform: 'ios-voip', token: apnsToken(), bundleId: 'com.example.softphone', environment: 'production' });

    const listed = await bed.listDevices(bob.accessToken);
    expect(listed.map((d) => [d.deviceId, d.platform, d.environment])).toEqual([
      ['bob-iphone-01', 'ios-voip', 'production'],
      ['bob-pixel-001', 'android-fcm', null],
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/token/i);
    expect(await bed.listDevices(other.accessToken)).toEqual([]);

    expect(await failure(api(bed.server.url, 'DELETE', '/api/push/devices/bob-pixel-001', undefined, other.accessToken))).toEqual({ status: 404, code: 'NOT_FOUND' });
    await api(bed.server.url, 'DELETE', '/api/push/devices/bob-pixel-001', undefined, bob.accessToken);
    expect((await bed.listDevices(bob.accessToken)).map((d) => d.deviceId)).toEqual(['bob-iphone-01']);
    expect(await failure(api(bed.server.url, 'DELETE', '/api/push/devices/bob-pixel-001', undefined, bob.accessToken))).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('caps the push devices of a user at MAX_DEVICES_PER_USER (an invite is pushed to every one): TOO_MANY_DEVICES', async () => {
    const capped = await startPushTestBed({ MAX_DEVICES_PER_USER: '2' });
    try {
      const zoe = await newUser(capped.server.url, 'zoe');
      await capped.registerDevice(zoe.accessToken, 'zoe-phone-001', { platform: 'android-fcm', token: fcmToken() });
      await capped.registerDevice(zoe.accessToken, 'zoe-phone-002', { platform: 'android-fcm', token: fcmToken() });
      const third = failure(api(capped.server.url, 'PUT', '/api/push/devices/zoe-phone-003', { platform: 'android-fcm', token: fcmToken() }, zoe.accessToken));
      expect(await third).toEqual({ status: 409, code: 'TOO_MANY_DEVICES' });
      // Updating a registered one is fine; after removing one, another fits.
      await capped.registerDevice(zoe.accessToken, 'zoe-phone-002', { platform: 'android-fcm', token: fcmToken() });
      await api(capped.server.url, 'DELETE', '/api/push/devices/zoe-phone-001', undefined, zoe.accessToken);
      await capped.registerDevice(zoe.accessToken, 'zoe-phone-003', { platform: 'android-fcm', token: fcmToken() });
      expect((await capped.listDevices(zoe.accessToken)).map((d) => d.deviceId).sort()).toEqual(['zoe-phone-002', 'zoe-phone-003']);
    } finally {
      await capped.stop();
    }
  });

  it('refuses requests without a valid access token', async () => {
    expect(await failure(api(bed.server.url, 'GET', '/api/push/devices'))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await failure(api(bed.server.url, 'PUT', '/api/push/devices/dev-x-00000', { platform: 'android-fcm', token: fcmToken() }, 'not-a-jwt'))).toMatchObject({ status: 401 });
  });

  it.each([
    ['an unknown platform', 'bob-phone-01', { platform: 'windows-push', token: fcmToken() }],
    ['a non-hex APNs token', 'bob-phone-01', { platform: 'ios-voip', token: 'zz'.repeat(32), bundleId: 'com.example.softphone' }],
    ['an APNs registration without bundle id', 'bob-phone-01', { platform: 'ios-voip', token: apnsToken() }],
    ['another app’s bundle id', 'bob-phone-01', { platform: 'ios-voip', token: apnsToken(), bundleId: 'com.example.other' }],
    ['an unknown environment', 'bob-phone-01', { platform: 'ios-voip', token: apnsToken(), bundleId: 'com.example.softphone', environment: 'staging' }],
    ['an extra field', 'bob-phone-01', { platform: 'android-fcm', token: fcmToken(), priority: 'high' }],
    ['a bad device id', 'no', { platform: 'android-fcm', token: fcmToken() }],
  ])('answers VALIDATION_FAILED for %s and stores nothing', async (_label, deviceId, body) => {
    const bob = await newUser(bed.server.url, 'bob');
    expect(await failure(api(bed.server.url, 'PUT', `/api/push/devices/${deviceId}`, body, bob.accessToken))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await bed.listDevices(bob.accessToken)).toEqual([]);
  });

  it('leaves the other API routes alone', async () => {
    const health = await api<{ status: string }>(bed.server.url, 'GET', '/healthz');
    expect(health.status).toBe('ok');
    const carol = await newUser(bed.server.url, 'carol');
    expect(await api(bed.server.url, 'GET', '/api/me', undefined, carol.accessToken)).toMatchObject({ user: carol.user });
  });
});

describe('push unconfigured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
    if (server) removeDataDir(server);
  });

  it('says so once at start-up, and a phone-only callee is unavailable as without push', async () => {
    const lines = server.logs().split('\n').filter((line) => line.includes('push: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('APNs off (missing APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID, APNS_BUNDLE_ID)');
    expect(lines[0]).toContain('FCM off (missing FCM_SERVICE_ACCOUNT_FILE)');

    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    await api(server.url, 'PUT', '/api/push/devices/bob-iphone-01', { platform: 'ios-voip', token: apnsToken(), bundleId: 'com.example.softphone' }, bob.accessToken);
    const desk = await RawDevice.connect(server.url, alice.accessToken, 'alice-desk-01');
    try {
      expect(await desk.ok('call:invite', { to: bob.user.username, media: 'audio' })).toMatchObject({ status: 'unavailable', devices: 0 });
    } finally {
      desk.close();
    }
  });
});
