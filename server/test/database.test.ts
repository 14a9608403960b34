import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallsRepo } from '../src/db/calls-repo';
import { closeDatabase, commitDurably, openDatabase, prepared, type Db } from '../src/db/database';
import { UsersRepo } from '../src/db/users-repo';
import Database from 'better-sqlite3';
import { CORE_MIGRATIONS, migrateCore } from '../src/db/migrations';

const NORMAL = 1;
const FULL = 2;

let dir: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'database-'));
  db = openDatabase(dir);
});

afterEach(() => {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

const synchronous = () => db.pragma('synchronous', { simple: true }) as number;

describe('the service database', () => {
  it('runs in WAL mode with synchronous NORMAL (nothing is lost when the process dies)', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(synchronous()).toBe(NORMAL);
  });

  it('commitDurably commits with synchronous FULL and goes back to NORMAL, also when the work throws', () => {
    const users = new UsersRepo(db);
    const seen = commitDurably(db, () => {
      users.insert({ userId: randomUUID(), username: 'durable', displayName: 'Durable', passwordHash: 'x' });
      return synchronous();
    });
    expect(seen).toBe(FULL);
    expect(synchronous()).toBe(NORMAL);
    expect(users.findByUsername('durable')).toBeDefined();

    expect(() =>
      commitDurably(db, () => {
        users.insert({ userId: randomUUID(), username: 'rolled-back', displayName: 'Rolled back', passwordHash: 'x' });
        throw new Error('work failed');
      }),
    ).toThrow('work failed');
    expect(users.findByUsername('rolled-back')).toBeUndefined();
    expect(synchronous()).toBe(NORMAL);
  });

  it('commits a missed call durably, and any other end without the fsync', () => {
    const users = new UsersRepo(db);
    const calls = new CallsRepo(db);
    const [alice, bob] = [randomUUID(), randomUUID()];
    users.insert({ userId: alice, username: 'alice', displayName: 'Alice', passwordHash: 'x' });
    users.insert({ userId: bob, username: 'bob', displayName: 'Bob', passwordHash: 'x' });
    const settings: string[] = [];
    const pragma = db.pragma.bind(db);
    vi.spyOn(db, 'pragma').mockImplementation((source: string, options?: { simple?: boolean }) => {
      if (source.startsWith('synchronous =')) settings.push(source);
      return pragma(source, options);
    });
    const end = (callId: string, missed: boolean) => {
      const startedAt = new Date().toISOString();
      calls.insertRinging({ callId, callerId: alice, calleeId: bob, callerDeviceId: 'alice-device', media: 'audio', startedAt, ringUntil: startedAt, devicesRung: [] });
      calls.finish({
        callId,
        outcome: missed ? 'no-answer' : 'declined',
        endReason: missed ? 'no-answer' : 'declined',
        endedBy: null,
        endedAt: startedAt,
        ringMs: 0,
        talkMs: null,
        devicesRung: [],
        missed: missed ? { id: randomUUID(), userId: bob } : null,
      });
    };

    end(randomUUID(), false);
    expect(settings).toEqual([]);
    end(randomUUID(), true);
    expect(settings).toEqual(['synchronous = FULL', 'synchronous = NORMAL']);
    expect(calls.unreadMissed(bob)).toHaveLength(1);
  });

  it('prepares each SQL text once per connection', () => {
    const sql = 'SELECT count(*) AS n FROM users';
    expect(prepared(db, sql)).toBe(prepared(db, sql));
    expect(prepared(db, sql)).not.toBe(prepared(db, 'SELECT 1'));
  });
});

describe('core migrations', () => {
  it('the away step keeps every stored choice and accepts away, nothing else', () => {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(tmpdir(), 'database-'));
    // A database as the previous release left it: two steps, one user in dnd.
    const old = new Database(join(dir, 'softphone.db'));
    migrateCore(old, CORE_MIGRATIONS.slice(0, 2));
    const dndUser = randomUUID();
    old.prepare("INSERT INTO users (id, username, display_name, password_hash, created_at, presence_choice) VALUES (?, 'dnduser', 'D', 'x', '2025-01-01', 'dnd')").run(dndUser);
    old.close();

    db = openDatabase(dir);
    const users = new UsersRepo(db);
    expect(users.presenceChoices()).toEqual([{ userId: dndUser, choice: 'dnd' }]);
    users.setPresenceChoice(dndUser, 'away');
    expect(users.presenceChoices()).toEqual([{ userId: dndUser, choice: 'away' }]);
    expect(() => prepared(db, "UPDATE users SET presence_choice = 'busy' WHERE id = ?").run(dndUser)).toThrow(/CHECK constraint/);
    expect(db.pragma('user_version', { simple: true })).toBe(CORE_MIGRATIONS.length);
  });
});
