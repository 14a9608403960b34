import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startPostgres, type PostgresServer } from '../../test/support/infra';
import { CallsRepo } from '../src/db/calls-repo';
import { openStore } from '../src/db/database';
import { HistoryRepo } from '../src/db/history-repo';
import { SCHEMA_STEPS } from '../src/db/migrations';
import { SessionsRepo } from '../src/db/sessions-repo';
import { UsersRepo } from '../src/db/users-repo';
import { LineRepo } from '../src/lines/line-repo';
import { createLogger } from '../src/logger';
import { PushDeviceStore } from '../src/push/push-device-store';
import { describeEachStore } from './helpers/each-store';

const logger = createLogger('silent');
const NORMAL = 1;
const FULL = 2;
const FIXTURE = join(import.meta.dirname, 'fixtures/softphone-before-query-layer.db');

const newCall = (callerId: string, calleeId: string) => {
  const startedAt = new Date().toISOString();
  return { callId: randomUUID(), callerId, calleeId, callerDeviceId: 'caller-device', media: 'audio' as const, startedAt, ringUntil: startedAt, devicesRung: ['d1'] };
};
const end = (callId: string, missedUserId: string | null) => ({
  callId,
  from: 'ringing' as const,
  outcome: missedUserId ? ('no-answer' as const) : ('declined' as const),
  endReason: missedUserId ? ('no-answer' as const) : ('declined' as const),
  endedBy: null,
  endedAt: new Date().toISOString(),
  ringMs: 0,
  talkMs: null,
  devicesRung: [],
  missed: missedUserId ? { id: randomUUID(), userId: missedUserId } : null,
});

describeEachStore('the service database', (fixture) => {
  const twoUsers = async () => {
    const users = new UsersRepo(fixture.store.db);
    const [alice, bob] = [randomUUID(), randomUUID()];
    await users.insert({ userId: alice, username: `alice${alice.slice(0, 6)}`, displayName: 'Alice', passwordHash: 'x' });
    await users.insert({ userId: bob, username: `bob${bob.slice(0, 6)}`, displayName: 'Bob', passwordHash: 'x' });
    return { users, alice, bob };
  };

  it('commits a missed call durably (with its final record, once), and any other end without the fsync', async () => {
    const { alice, bob } = await twoUsers();
    const calls = new CallsRepo(fixture.store);
    const durably = vi.spyOn(fixture.store, 'durably');
    const declined = newCall(alice, bob);
    await calls.insertRinging(declined);
    await calls.finish(end(declined.callId, null));
    expect(durably).not.toHaveBeenCalled();
    const missed = newCall(alice, bob);
    await calls.insertRinging(missed);
    await calls.finish(end(missed.callId, bob));
    await calls.finish(end(missed.callId, bob)); // a retried write changes nothing twice
    expect(durably).toHaveBeenCalledTimes(2);
    expect((await calls.unreadMissed(bob)).map((m) => m.callId)).toEqual([missed.callId]);
    expect(await calls.acknowledgeMissed(alice, [(await calls.unreadMissed(bob))[0]!.id])).toBe(0);
  });

  it("reads which parties of a call's end are agents (members of an open line) in one query", async () => {
    const { alice, bob } = await twoUsers();
    const lines = new LineRepo(fixture.store);
    expect(await lines.agentsAmong(alice, bob)).toEqual(new Set());
    const line = await lines.create({ name: `line${alice.slice(0, 6)}`, displayName: 'Support' });
    await lines.addMember(line.lineId, bob);
    expect(await lines.agentsAmong(alice, bob)).toEqual(new Set([bob]));
    // A closed line makes no agents; a member of two lines is one agent.
    const other = await lines.create({ name: `other${alice.slice(0, 6)}`, displayName: 'Sales' });
    await lines.addMember(other.lineId, alice);
    await lines.addMember(other.lineId, bob);
    await lines.close(other.lineId);
    expect(await lines.agentsAmong(alice, bob)).toEqual(new Set([bob]));
    const third = await lines.create({ name: `third${alice.slice(0, 6)}`, displayName: 'Billing' });
    await lines.addMember(third.lineId, alice);
    await lines.addMember(third.lineId, bob);
    expect(await lines.agentsAmong(bob, alice)).toEqual(new Set([alice, bob]));
  });

  it("purges the per-device rows of ended calls and keeps an open call's", async () => {
    const { alice, bob } = await twoUsers();
    const calls = new CallsRepo(fixture.store);
    const [ended, open] = [newCall(alice, bob), newCall(alice, bob)];
    for (const call of [ended, open]) {
      await calls.insertRinging(call);
      await calls.addDevices(call.callId, ['d2', 'd3']);
      await calls.decline(call.callId, 'd2', new Date().toISOString());
    }
    await calls.finish(end(ended.callId, null));
    const rows = () => fixture.store.db.selectFrom('call_devices').select('call_id').execute();
    expect((await rows()).length).toBe(4);
    expect(await calls.purgeEndedCallDevices()).toBe(2);
    expect((await rows()).map((row) => row.call_id)).toEqual([open.callId, open.callId]);
    expect((await calls.findOpen(open.callId))?.declined).toEqual(['d2']);
  });

  it('rolls a durable transaction back whole when its work throws', async () => {
    const users = new UsersRepo(fixture.store.db);
    await expect(
      fixture.store.durably(async (trx) => {
        await new UsersRepo(trx).insert({ userId: randomUUID(), username: 'rolled-back', displayName: 'R', passwordHash: 'x' });
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await users.findByUsername('rolled-back')).toBeUndefined();
  });

  it('searches names case-insensitively with prefix matches first, and treats % and _ literally', async () => {
    const users = new UsersRepo(fixture.store.db);
    for (const [username, displayName] of [['zed', 'Annabel Zed'], ['anna', 'Anna Smith'], ['joanna', 'Jo'], ['pct', '100% Real']]) {
      await users.insert({ userId: randomUUID(), username: username!, displayName: displayName!, passwordHash: 'x' });
    }
    expect((await users.search('ANN', 10)).map((u) => u.username)).toEqual(['anna', 'zed', 'joanna']);
    expect((await users.search('%', 10)).map((u) => u.username)).toEqual(['pct']);
    expect(await users.search('a_n', 10)).toEqual([]);
  });

  it('pages history newest first, calls of the same millisecond in insertion order, with the missed flag', async () => {
    const { alice, bob } = await twoUsers();
    const calls = new CallsRepo(fixture.store);
    const startedAt = '2026-01-01T00:00:00.000Z';
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const call = { ...newCall(alice, bob), startedAt };
      ids.push(call.callId);
      await calls.insertRinging(call);
      await calls.finish(end(call.callId, i % 2 === 0 ? bob : null));
    }
    const history = new HistoryRepo(fixture.store);
    const first = await history.page(bob, { limit: 3 });
    const second = await history.page(bob, { limit: 3, cursor: first.nextCursor! });
    expect([...first.calls, ...second.calls].map((c) => c.callId)).toEqual([...ids].reverse());
    expect(second.nextCursor).toBeNull();
    expect(first.calls.map((c) => [c.direction, c.missed])).toEqual([
      ['incoming', true],
      ['incoming', false],
      ['incoming', true],
    ]);
    expect((await history.page(alice, { limit: 10, missedOnly: true })).calls).toEqual([]);
    expect((await history.page(bob, { limit: 10, missedOnly: true })).calls).toHaveLength(3);
  });

  it('pages history by conversation: a later leg joins its first call, missedOnly keeps a conversation by its missed legs', async () => {
    const { alice, bob } = await twoUsers();
    const calls = new CallsRepo(fixture.store);
    const at = (minute: number) => `2026-02-01T00:0${minute}:00.000Z`;
    const first = { ...newCall(alice, bob), startedAt: at(1) };
    const leg = { ...newCall(bob, alice), startedAt: at(2), links: { conversationId: first.callId, parentCallId: first.callId, legKind: 'consult' as const } };
    const plain = { ...newCall(alice, bob), startedAt: at(3) };
    for (const [call, missed] of [[first, null], [leg, alice], [plain, bob]] as const) {
      await calls.insertRinging(call);
      await calls.finish(end(call.callId, missed));
    }
    const history = new HistoryRepo(fixture.store);
    // Conversations newest first by their first call: the plain call (minute 3), then the conversation (minute 1) whole.
    const page1 = await history.page(bob, { limit: 1 });
    const page2 = await history.page(bob, { limit: 1, cursor: page1.nextCursor! });
    expect(page1.calls.map((c) => c.callId)).toEqual([plain.callId]);
    expect(page2.calls.map((c) => [c.callId, c.conversationId, c.legKind])).toEqual([
      [leg.callId, first.callId, 'consult'],
      [first.callId, first.callId, 'direct'],
    ]);
    expect(page2.nextCursor).toBeNull();
    // Alice missed only the leg: her missed list is that conversation, with only the missed leg.
    expect((await history.page(alice, { limit: 10, missedOnly: true })).calls.map((c) => c.callId)).toEqual([leg.callId]);
    expect((await history.page(bob, { limit: 10, missedOnly: true })).calls.map((c) => c.callId)).toEqual([plain.callId]);
  });

  it('rotates a session only from its current hash (compare-and-set) and purges old ones', async () => {
    const { alice } = await twoUsers();
    const sessions = new SessionsRepo(fixture.store.db);
    const at = new Date().toISOString();
    await sessions.create({ id: 's1', userId: alice, refreshHash: 'h1', createdAt: at, expiresAt: '2000-01-01T00:00:00.000Z' });
    expect(await sessions.rotate('s1', 'h1', 'h2', '2000-01-02T00:00:00.000Z', at)).toBe(true);
    expect(await sessions.rotate('s1', 'h1', 'h3', '2000-01-02T00:00:00.000Z', at)).toBe(false);
    expect(await sessions.revoke('s1', 'logout', at)).toBe(true);
    expect(await sessions.revoke('s1', 'logout', at)).toBe(false);
    expect(await sessions.purge(new Date().toISOString())).toBe(1);
    expect(await sessions.find('s1')).toBeUndefined();
  });

  it('the away step keeps every stored choice and accepts away, nothing else', async () => {
    await fixture.empty();
    const old = await fixture.reopen(SCHEMA_STEPS.slice(0, 2)); // as an older release left it: one user in dnd
    const dndUser = randomUUID();
    await sql`INSERT INTO users (id, username, display_name, password_hash, created_at, presence_choice) VALUES (${dndUser}, 'dnduser', 'D', 'x', '2025-01-01', 'dnd')`.execute(old.db);
    const store = await fixture.reopen();
    const users = new UsersRepo(store.db);
    expect(await users.presenceChoices()).toEqual([{ userId: dndUser, choice: 'dnd' }]);
    await users.setPresenceChoice(dndUser, 'away');
    expect(await users.presenceChoices()).toEqual([{ userId: dndUser, choice: 'away' }]);
    await expect(sql`UPDATE users SET presence_choice = 'busy' WHERE id = ${dndUser}`.execute(store.db)).rejects.toThrow(/check constraint/i);
  });
});

describe('SQLite specifics', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs in WAL mode with synchronous NORMAL, and commits durably with synchronous FULL, back to NORMAL after, also when the work throws', async () => {
    const store = await openStore({ dataDir: join(dir, 'modes'), logger });
    const synchronous = async (db: typeof store.db) => (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous;
    try {
      expect((await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(store.db)).rows[0]?.journal_mode).toBe('wal');
      expect(await synchronous(store.db)).toBe(NORMAL);
      expect(await store.durably((trx) => synchronous(trx))).toBe(FULL);
      expect(await synchronous(store.db)).toBe(NORMAL);
      await expect(store.durably(() => Promise.reject(new Error('work failed')))).rejects.toThrow('work failed');
      expect(await synchronous(store.db)).toBe(NORMAL);
    } finally {
      await store.close();
    }
  });

  it('upgrades a database made before the query layer in place: every row kept, and it works as a new one', async () => {
    const dataDir = join(dir, 'upgrade');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dataDir, { recursive: true });
    copyFileSync(FIXTURE, join(dataDir, 'softphone.db'));
    const before = snapshot(join(dataDir, 'softphone.db'));
    const store = await openStore({ dataDir, logger });
    try {
      const users = new UsersRepo(store.db);
      const calls = new CallsRepo(store);
      expect(await users.findByUsername('alice')).toMatchObject({ userId: 'u-alice', displayName: 'Alice Example', passwordHash: 'hash-a' });
      expect(await users.presenceChoices()).toEqual(expect.arrayContaining([{ userId: 'u-alice', choice: 'away' }, { userId: 'u-bob', choice: 'dnd' }]));
      expect((await calls.unreadMissed('u-bob')).map((m) => m.callId)).toEqual(['c-missed']);
      expect((await calls.openCalls()).map((c) => [c.callId, c.ringUntil, c.devicesRung])).toEqual([['c-ringing', '2026-11-29T10:08:00.000Z', ['alice-laptop']]]);
      expect((await new HistoryRepo(store).page('u-bob', { limit: 10 })).calls.map((c) => [c.callId, c.missed])).toEqual([
        ['c-missed', true],
        ['c-answered', false],
      ]);
      expect(await new SessionsRepo(store.db).find('s-alice')).toMatchObject({ userId: 'u-alice', refreshHash: 'refresh-hash-a' });
      const push = new PushDeviceStore(store.db);
      expect((await push.listForUser('u-bob')).map((d) => d.token)).toEqual(['apns-token-bob']);
      expect(await push.pushLatency('c-missed')).toBe(180);
      // New writes work on the upgraded schema.
      const call = newCall('u-carol', 'u-alice');
      await calls.insertRinging(call);
      await calls.finish(end(call.callId, 'u-alice'));
      expect(await calls.unreadMissed('u-alice')).toHaveLength(1);
    } finally {
      await store.close();
    }
    const after = snapshot(join(dataDir, 'softphone.db'));
    for (const [table, rows] of Object.entries(before)) {
      if (table === 'module_versions') continue;
      // Every row and every value kept (later steps may add columns).
      const kept = after[table]!.slice(0, rows.length).map((row, i) => Object.fromEntries(Object.keys(rows[i] as object).map((key) => [key, (row as Record<string, unknown>)[key]])));
      expect(kept, table).toEqual(rows);
    }
    // Opening again runs nothing twice.
    const again = await openStore({ dataDir, logger });
    await again.close();
  });
});

describe('Postgres specifics', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres({ database: 'race' });
  }, 60_000);
  afterAll(() => server?.stop());

  it('nodes that start together migrate once, under the migrator lock', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore({ dataDir: '', databaseUrl: server.url, logger })));
    try {
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(stores[0]!.db);
      expect(rows.map((row) => row.name)).toEqual(SCHEMA_STEPS.map((step) => step.name));
      expect(await new UsersRepo(stores[3]!.db).insert({ userId: 'u1', username: 'u1', displayName: 'U', passwordHash: 'x' })).toBe(true);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});

/** Every row of every table of a SQLite file, ordered by insertion. */
function snapshot(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'kysely_%' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
  } finally {
    db.close();
  }
}
