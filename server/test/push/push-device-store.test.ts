import { randomUUID } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { CallsRepo } from '../../src/db/calls-repo';
import { UsersRepo } from '../../src/db/users-repo';
import { PushDeviceStore } from '../../src/push/push-device-store';
import { describeEachStore } from '../helpers/each-store';
import { apnsToken, fcmToken } from './support/payloads';

const users = { bob: randomUUID(), carol: randomUUID() };

const ios = (userId: string, deviceId: string, token = apnsToken()) =>
  ({ userId, deviceId, platform: 'ios-voip', token, bundleId: 'com.example.softphone', environment: 'sandbox' }) as const;

describeEachStore('push device store', (fixture) => {
  let store: PushDeviceStore;
  beforeEach(async () => {
    const repo = new UsersRepo(fixture.store.db);
    for (const [username, userId] of Object.entries(users)) await repo.insert({ userId, username, displayName: username, passwordHash: 'x' });
    store = new PushDeviceStore(fixture.store.db);
  });

  it('registers, updates in place, lists and unregisters devices per user', async () => {
    await store.upsert(ios(users.bob, 'bob-iphone-1'));
    const android = fcmToken();
    await store.upsert({ userId: users.bob, deviceId: 'bob-pixel-01', platform: 'android-fcm', token: android, bundleId: null, environment: null });
    const renewed = apnsToken();
    await store.upsert(ios(users.bob, 'bob-iphone-1', renewed));
    expect((await store.listForUser(users.bob)).map((d) => [d.deviceId, d.token])).toEqual([
      ['bob-iphone-1', renewed],
      ['bob-pixel-01', android],
    ]);
    expect(await store.listForUser(users.carol)).toEqual([]);
    expect(await store.remove(users.bob, 'bob-iphone-1')).toBe(true);
    expect(await store.remove(users.bob, 'bob-iphone-1')).toBe(false);
    expect(await store.listForUser(users.bob)).toHaveLength(1);
  });

  it('moves a token to the account that registered it last', async () => {
    const token = apnsToken();
    await store.upsert(ios(users.bob, 'shared-phone', token));
    await store.upsert(ios(users.carol, 'shared-phone', token));
    expect(await store.listForUser(users.bob)).toEqual([]);
    expect((await store.listForUser(users.carol)).map((d) => d.token)).toEqual([token]);
  });

  it('removes a dead token only while the device still has it', async () => {
    const dead = apnsToken();
    await store.upsert(ios(users.bob, 'bob-iphone-1', dead));
    expect((await store.removeDeadToken('ios-voip', dead))?.deviceId).toBe('bob-iphone-1');
    await store.upsert(ios(users.bob, 'bob-iphone-1', apnsToken()));
    expect(await store.removeDeadToken('ios-voip', dead)).toBeUndefined();
    expect(await store.listForUser(users.bob)).toHaveLength(1);
  });

  it('keeps the first push latency of a call and survives reopening (migrations run once)', async () => {
    const callId = randomUUID();
    await new CallsRepo(fixture.store).insertRinging({
      callId,
      callerId: users.carol,
      calleeId: users.bob,
      callerDeviceId: 'carol-desktop',
      media: 'audio',
      startedAt: new Date().toISOString(),
      ringUntil: new Date().toISOString(),
      devicesRung: [],
    });
    expect(await store.pushLatency(callId)).toBeNull();
    await store.recordPushLatency(callId, 42.4);
    await store.recordPushLatency(callId, 900);
    expect(await store.pushLatency(callId)).toBe(42);
    store = new PushDeviceStore((await fixture.reopen()).db);
    expect(await store.pushLatency(callId)).toBe(42);
  });
});
