import { existsSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCommand, startPostgres, startRedis, type PostgresServer, type RedisServer } from '../support/infra';
import { isAlive, portIsFree, processesMentioning, processTree, uidOf } from './support/leftovers';

/** The rig's stores are real servers: each answers its own protocol, restarts, dies by kill -9 and leaves nothing behind. */

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // a server restart ends the session; the query below reports it
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('redis-server in the rig', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis({ appendonly: true });
  });
  afterAll(() => redis?.stop());

  it('answers PING on 127.0.0.1 at its port', async () => {
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await redis.ping()).toBe('+PONG');
  });

  it('restarts on the same port and --dir, keeping appendonly writes', async () => {
    expect(await redisCommand(redis.port, 'SET rig:key hello')).toBe('+OK');
    const before = redis.pid();
    await redis.restart();
    expect(redis.pid()).not.toBe(before);
    expect(isAlive(before)).toBe(false);
    expect(await redisCommand(redis.port, 'GET rig:key')).toBe('$5'); // bulk string of 5 bytes: "hello"
  });

  it('without appendonly a restart starts empty (the restart is real)', async () => {
    await redis.restart({ appendonly: false });
    expect(await redisCommand(redis.port, 'SET rig:volatile x')).toBe('+OK');
    await redis.restart();
    expect(await redisCommand(redis.port, 'GET rig:volatile')).toBe('$-1'); // nil
    await redis.restart({ appendonly: true });
  });

  it('kill -9 takes it down until restart()', async () => {
    const pid = redis.pid();
    await redis.kill9();
    expect(redis.running()).toBe(false);
    expect(isAlive(pid)).toBe(false);
    await expect(redis.ping()).rejects.toThrow(/ECONNREFUSED/);
    await redis.restart();
    expect(await redis.ping()).toBe('+PONG');
    expect(redis.logs()).toContain('Ready to accept connections');
  });
});

describe('Postgres 15 in the rig', () => {
  let postgres: PostgresServer;
  beforeAll(async () => {
    postgres = await startPostgres();
  }, 60_000);
  afterAll(() => postgres?.stop());

  it('answers SQL through pg on 127.0.0.1, in the database it created', async () => {
    const [row] = await query<{ db: string; version: string; fsync: string }>(
      postgres.url,
      "select current_database() as db, version() as version, current_setting('fsync') as fsync",
    );
    expect(row?.db).toBe('softphone_test');
    expect(row?.version).toMatch(/^PostgreSQL 15\./);
    expect(row?.fsync).toBe('off');
    expect(postgres.url).toBe(`postgresql://postgres@127.0.0.1:${postgres.port}/softphone_test`);
  });

  it('runs as the postgres user when the tests run as root, and as the caller otherwise; the pid is the postmaster itself', () => {
    const expected = process.getuid?.() === 0 ? 'postgres' : 'caller';
    const uid = uidOf(postgres.pid());
    if (expected === 'postgres') expect(uid).not.toBe(0);
    else expect(uid).toBe(process.getuid?.());
    expect(processesMentioning(postgres.dataDir)).toContain(postgres.pid());
  });

  it('a fast restart ends open sessions and keeps the data', async () => {
    await query(postgres.url, 'create table rig_calls (id int primary key, state text)');
    await query(postgres.url, "insert into rig_calls values (1, 'ringing')");
    const open = new pg.Client({ connectionString: postgres.url });
    const sessionErrors: string[] = [];
    open.on('error', (error: Error & { code?: string }) => sessionErrors.push(error.code ?? error.message));
    await open.connect();
    const before = postgres.pid();
    await postgres.restart();
    expect(postgres.pid()).not.toBe(before);
    expect(sessionErrors).toContain('57P01'); // terminating connection due to administrator command
    await open.end().catch(() => undefined);
    expect(await query(postgres.url, 'select state from rig_calls where id = 1')).toEqual([{ state: 'ringing' }]);
  });

  it('kill -9 of Postgres (the postmaster and its children): down until restart(), which runs crash recovery at once and keeps committed rows', async () => {
    await query(postgres.url, "insert into rig_calls values (2, 'answered')");
    const processes = processTree(postgres.pid());
    expect(processes.length).toBeGreaterThan(3);
    await postgres.kill9();
    expect(processes.filter(isAlive)).toEqual([]);
    await expect(query(postgres.url, 'select 1')).rejects.toThrow(/ECONNREFUSED/);
    await postgres.restart();
    expect(postgres.logs()).toMatch(/database system was interrupted|not properly shut down/);
    expect(await query(postgres.url, 'select id from rig_calls order by id')).toEqual([{ id: 1 }, { id: 2 }]);
  }, 60_000);

  it('creates further databases', async () => {
    const url = await postgres.createDatabase('rig_second');
    const [row] = await query<{ db: string }>(url, 'select current_database() as db');
    expect(row?.db).toBe('rig_second');
  });
});

describe('clean-up', () => {
  it('stop() leaves no process, folder or listening port behind', async () => {
    const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
    const servers = [
      { dir: redis.dir, processes: processTree(redis.pid()), port: redis.port, stop: () => redis.stop() },
      { dir: postgres.dataDir, processes: processTree(postgres.pid()), port: postgres.port, stop: () => postgres.stop() },
    ];
    // Postgres runs a postmaster and its children (checkpointer, walwriter, ...).
    expect(servers[1]?.processes.length).toBeGreaterThan(3);
    await Promise.all(servers.map((server) => server.stop()));
    for (const server of servers) {
      expect(server.processes.filter(isAlive)).toEqual([]);
      expect(processesMentioning(server.dir)).toEqual([]);
      expect(existsSync(server.dir)).toBe(false);
      expect(await portIsFree(server.port)).toBe(true);
    }
  }, 60_000);
});
