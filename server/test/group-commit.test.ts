import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallsRepo, type NewCallRow } from '../src/db/calls-repo';
import { openStore, type Store } from '../src/db/database';
import { UsersRepo } from '../src/db/users-repo';
import { createLogger } from '../src/logger';
import { describeEachStore } from './helpers/each-store';

/**
 * The call hot path's single statements (`Store.commitOne`): on SQLite the statements of one event-loop turn
 * share one commit (server/src/db/group-commit.ts), on Postgres each runs on the pool. Either way each one's
 * result is its own, and it settles only once it is committed.
 */
const logger = createLogger('silent');

async function twoUsers(store: Store) {
  const users = new UsersRepo(store.db);
  const [alice, bob] = [randomUUID(), randomUUID()];
  await users.insert({ userId: alice, username: `alice${alice.slice(0, 6)}`, displayName: 'Alice', passwordHash: 'x' });
  await users.insert({ userId: bob, username: `bob${bob.slice(0, 6)}`, displayName: 'Bob', passwordHash: 'x' });
  return { alice, bob };
}

const ringing = (callerId: string, calleeId: string): NewCallRow => {
  const startedAt = new Date().toISOString();
  return { callId: randomUUID(), callerId, calleeId, callerDeviceId: 'caller-device', media: 'audio', startedAt, ringUntil: startedAt, devicesRung: ['d1', 'd2'] };
};

describeEachStore('statements committed one by one or together', (fixture) => {
  it('answers of one call sent in the same turn: exactly one wins, and calls in the same turn each get their own result', async () => {
    const { alice, bob } = await twoUsers(fixture.store);
    const calls = new CallsRepo(fixture.store);
    const rows = Array.from({ length: 10 }, () => ringing(alice, bob));
    await Promise.all(rows.map((row) => calls.insertRinging(row)));
    const at = new Date().toISOString();
    // Two devices answer each call in the same turn; every call is answered in that turn too.
    const answers = await Promise.all(rows.flatMap((row) => [calls.answer(row.callId, 'd1', at, ['d1', 'd2']), calls.answer(row.callId, 'd2', at, ['d1', 'd2'])]));
    expect(answers.filter(Boolean)).toHaveLength(rows.length);
    for (let i = 0; i < rows.length; i++) expect([answers[2 * i], answers[2 * i + 1]].filter(Boolean)).toHaveLength(1);
    expect((await calls.openCalls()).map((call) => call.status)).toEqual(rows.map(() => 'active'));
  });

  it('a statement that fails fails alone: the others of its turn are stored', async () => {
    const { alice, bob } = await twoUsers(fixture.store);
    const calls = new CallsRepo(fixture.store);
    const good = ringing(alice, bob);
    const unknownCaller = ringing(randomUUID(), bob); // the foreign key refuses it
    const [bad, ok] = await Promise.allSettled([calls.insertRinging(unknownCaller), calls.insertRinging(good)]);
    expect(bad.status).toBe('rejected');
    expect(ok.status).toBe('fulfilled');
    expect((await calls.openCalls()).map((call) => call.callId)).toEqual([good.callId]);
  });
});

describe('SQLite: group commit and the WAL checkpointer', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a statement settles only once committed: another connection already sees it then', async () => {
    const store = await openStore({ dataDir: join(dir, 'visible'), logger });
    const reader = new Database(store.location, { readonly: true });
    try {
      const { alice, bob } = await twoUsers(store);
      const calls = new CallsRepo(store);
      const rows = Array.from({ length: 5 }, () => ringing(alice, bob));
      const storedWhenSettled = await Promise.all(
        rows.map((row) => calls.insertRinging(row).then(() => reader.prepare('SELECT count(*) AS n FROM calls WHERE id = ?').get(row.callId) as { n: number })),
      );
      expect(storedWhenSettled.map((row) => row.n)).toEqual([1, 1, 1, 1, 1]);
    } finally {
      reader.close();
      await store.close();
    }
  });

  it('the WAL is copied into the database file by the checkpointer, not by the service connection', async () => {
    const store = await openStore({ dataDir: join(dir, 'checkpoint'), logger });
    try {
      const { alice, bob } = await twoUsers(store);
      const calls = new CallsRepo(store);
      const sizeAfterMigrations = statSync(store.location).size;
      // ~1,000 pages of WAL: far below the service connection's own checkpoint limit (10,000 pages).
      for (let i = 0; i < 40; i++) await Promise.all(Array.from({ length: 100 }, () => calls.insertRinging(ringing(alice, bob))));
      await expect.poll(() => statSync(store.location).size, { timeout: 5_000, interval: 100 }).toBeGreaterThan(sizeAfterMigrations);
    } finally {
      await store.close();
    }
  });
});
