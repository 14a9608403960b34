import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallsRepo } from '../../src/db/calls-repo';
import { closeDatabase, openDatabase, type Db } from '../../src/db/database';
import { UsersRepo } from '../../src/db/users-repo';
import { PushDeviceStore } from '../../src/push/push-device-store';
import { apnsToken, fcmToken } from './support/payloads';

let dir: string;
let db: Db;
let store: PushDeviceStore;
const users = { bob: randomUUID(), carol: randomUUID() };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'push-store-'));
  db = openDatabase(dir);
  const repo = new UsersRepo(db);
  for (const [username, userId] of Object.entries(users)) repo.insert({ userId, username, displayName: username, passwordHash: 'x' });
  store = new PushDeviceStore(db);
});

afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const ios = (userId: string, deviceId: string, token = apnsToken()) =>
  ({ userId, deviceId, platform: 'ios-voip', token, bundleId: 'com.example.softphone', environment: 'sandbox' }) as const;

describe('push device store (SQLite)', () => {
  it('registers, updates in place, lists and unregisters devices per user', () => {
    store.upsert(ios(users.bob, 'bob-iphone-1'));
    const android = fcmToken();
    store.upsert({ userId: users.bob, deviceId: 'bob-pixel-01', platform: 'android-fcm', token: android, bundleId: null, environment: null });
    const renewed = apnsToken();
    store.upsert(ios(users.bob, 'bob-iphone-1', renewed));
    expect(store.listForUser(users.bob).map((d) => [d.deviceId, d.token])).toEqual([
      ['bob-iphone-1', renewed],
      ['bob-pixel-01', android],
    ]);
    expect(store.listForUser(users.carol)).toEqual([]);
    expect(store.remove(users.bob, 'bob-iphone-1')).toBe(true);
    expect(store.remove(users.bob, 'bob-iphone-1')).toBe(false);
    expect(store.listForUser(users.bob)).toHaveLength(1);
  });

  it('moves a token to the account that registered it last', () => {
    const token = apnsToken();
    store.upsert(ios(users.bob, 'shared-phone', token));
    store.upsert(ios(users.carol, 'shared-phone', token));
    expect(store.listForUser(users.bob)).toEqual([]);
    expect(store.listForUser(users.carol).map((d) => d.token)).toEqual([token]);
  });

  it('removes a dead token only while the device still has it', () => {
    const dead = apnsToken();
    store.upsert(ios(users.bob, 'bob-iphone-1', dead));
    expect(store.removeDeadToken('ios-voip', dead)?.deviceId).toBe('bob-iphone-1');
    store.upsert(ios(users.bob, 'bob-iphone-1', apnsToken()));
    expect(store.removeDeadToken('ios-voip', dead)).toBeUndefined();
    expect(store.listForUser(users.bob)).toHaveLength(1);
  });

  it('keeps the first push latency of a call and survives reopening (migration runs once)', () => {
    const callId = randomUUID();
    new CallsRepo(db).insertRinging({
      callId,
      callerId: users.carol,
      calleeId: users.bob,
      callerDeviceId: 'carol-desktop',
      media: 'audio',
      startedAt: new Date().toISOString(),
      ringUntil: new Date().toISOString(),
      devicesRung: [],
    });
    expect(store.pushLatency(callId)).toBeNull();
    store.recordPushLatency(callId, 42.4);
    store.recordPushLatency(callId, 900);
    expect(store.pushLatency(callId)).toBe(42);
    closeDatabase(db);
    db = openDatabase(dir);
    store = new PushDeviceStore(db);
    expect(store.pushLatency(callId)).toBe(42);
  });
});
