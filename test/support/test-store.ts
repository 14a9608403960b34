import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Which store the spawned test servers use. The vitest project `postgres` (vitest.config.ts) runs the
 * integration suites a second time with TEST_STORE=postgres: one rig Postgres for the run
 * (test/support/postgres-global-setup.ts), and a new database on it for every test server.
 */
export type TestStore = 'sqlite' | 'postgres';

export const testStore = (): TestStore => (process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite');

let created = 0;

/** A new, empty database on the run's Postgres: its URL, for DATABASE_URL. */
export async function newTestDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) throw new Error('TEST_STORE=postgres needs TEST_POSTGRES_URL (set by test/support/postgres-global-setup.ts)');
  const name = `srv_${process.pid}_${(created += 1)}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Rows a test server stored, read from its SQLite file (read-only, beside the running server) or its Postgres database. */
export async function queryStore<T>(where: { dataDir: string; databaseUrl?: string }, text: string, params: unknown[] = []): Promise<T[]> {
  if (where.databaseUrl) {
    // BIGINT as numbers, as the server's pool reads them (and as SQLite returns them).
    const getTypeParser = ((oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser;
    const client = new pg.Client({ connectionString: where.databaseUrl, types: { getTypeParser } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${(n += 1)}`), params)).rows as T[];
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const db = new Database(join(where.dataDir, 'softphone.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(text).all(...params) as T[];
  } finally {
    db.close();
  }
}
