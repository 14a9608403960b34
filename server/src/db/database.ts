import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type CompiledQuery, type QueryResult } from 'kysely';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger';
import { StartupError } from '../startup-error';
import { groupCommit } from './group-commit';
import { startWalCheckpointer, WAL_AUTOCHECKPOINT_PAGES } from './wal-checkpointer';
import { migrationProvider, SCHEMA_STEPS, type SchemaStep } from './migrations';
import type { Db, Dialect, Schema, Tx } from './schema';

/** The service's durable store: one Kysely query layer over SQLite (single profile) or Postgres (cluster profile). */
export interface Store {
  readonly db: Db;
  readonly dialect: Dialect;
  /** Where the data is, for logs (never a password). */
  readonly location: string;
  /**
   * Runs `work` in one transaction that is durable when this returns, power cut included: on SQLite the
   * transaction commits with synchronous FULL (an fsync of the WAL); on Postgres every commit already is
   * (synchronous_commit on).
   */
  durably<T>(work: (trx: Tx) => Promise<T>): Promise<T>;
  /**
   * One statement outside any transaction, settled once it is committed (as durable as a commit of its own).
   * SQLite commits the statements of one event-loop turn together (group-commit.ts); Postgres runs it on the pool.
   */
  commitOne<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** SQLite: DATA_DIR/softphone.db. Ignored with databaseUrl. */
  dataDir: string;
  /** postgres://... : the cluster profile's shared Postgres. */
  databaseUrl?: string;
  logger: Logger;
  /** Test seam: the schema steps to run (default: all). */
  steps?: readonly SchemaStep[];
}

/** How long a query waits for a Postgres connection before it fails (STORAGE_UNAVAILABLE) instead of hanging. */
const PG_CONNECT_TIMEOUT_MS = 5_000;

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? openPostgres(options.databaseUrl, options.logger) : openSqlite(options.dataDir, options.logger);
  try {
    await migrate(store, options.steps ?? SCHEMA_STEPS);
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    throw new StartupError(`cannot open the database ${store.location}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function migrate(store: Store, steps: readonly SchemaStep[]): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider(store.dialect, steps) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`schema step ${failed?.migrationName ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * SQLite in DATA_DIR/softphone.db: WAL for concurrent readers, foreign keys on, and synchronous NORMAL. In WAL
 * mode NORMAL loses nothing when the process dies (kill -9 included): a commit is in the WAL file before it
 * returns, and only a power cut or an OS crash can take back the last commits. What must survive even that
 * is committed with `durably` (synchronous FULL for that one transaction, which fsyncs the WAL).
 * The call hot path's single statements share commits (`commitOne`, group-commit.ts), and the WAL is
 * checkpointed by a worker thread (wal-checkpointer.ts), not inside a commit on the event loop.
 */
function openSqlite(dataDir: string, logger: Logger): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = resolve(dataDir, 'softphone.db');
  let raw: Database.Database;
  try {
    raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('busy_timeout = 5000');
    raw.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  } catch (error) {
    // "unable to open database file" and "file is not a database" say nothing about which file.
    throw new StartupError(`cannot open the database ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const checkpointer = startWalCheckpointer(file, (error) =>
    logger.warn({ event: 'wal-checkpointer-failed', err: error }, 'the WAL checkpointer stopped; the service connection checkpoints instead'),
  );
  const prepare = statementCache(raw);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: { close: () => raw.close(), prepare } }) });
  return {
    db,
    dialect: 'sqlite',
    location: file,
    commitOne: groupCommit(db, raw, prepare),
    // Kysely's SQLite driver has one connection: connection() holds it, so nothing else runs under FULL.
    durably: (work) =>
      db.connection().execute(async (conn) => {
        await sql`PRAGMA synchronous = FULL`.execute(conn);
        try {
          return await conn.transaction().execute(work);
        } finally {
          await sql`PRAGMA synchronous = NORMAL`.execute(conn);
        }
      }),
    async close() {
      if (!raw.open) return;
      await checkpointer.stop();
      try {
        raw.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // A full disk can refuse the checkpoint; the WAL is replayed at the next open, nothing is lost.
      }
      await db.destroy();
    },
  };
}

/**
 * better-sqlite3 as Kysely's SQLite driver sees it:
 * - Kysely prepares every query; preparing costs more than running a small statement, so each SQL text is
 *   prepared once.
 * - When a write fails with SQLITE_FULL or an I/O error, SQLite may already have rolled the transaction back;
 *   Kysely's ROLLBACK would then fail with "no transaction is active" and replace the storage error the caller
 *   must see (STORAGE_UNAVAILABLE, and the record writer's retry). A ROLLBACK outside a transaction is a no-op.
 */
function statementCache(raw: Database.Database): (text: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  const noRollback = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) } as unknown as Database.Statement;
  return (text: string) => {
    if (text === 'rollback' && !raw.inTransaction) return noRollback;
    let statement = statements.get(text);
    if (!statement) statements.set(text, (statement = raw.prepare(text)));
    return statement;
  };
}

const INT8_OID = 20;
/** BIGINT columns (durations in ms, seq) as numbers, as SQLite returns them; they stay far below 2^53. */
const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/**
 * Postgres through a pg Pool. Every pool and client has an error handler: a Postgres restart ends idle and
 * busy connections with an 'error' event, which unhandled would end the process. Queries while it is down
 * fail (STORAGE_UNAVAILABLE, see storage-failure.ts) and the pool reconnects by itself once it is back.
 */
function openPostgres(databaseUrl: string, logger: Logger): Store {
  const url = new URL(databaseUrl);
  const location = `postgres://${url.host}${url.pathname}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, types: { getTypeParser } });
  const onError = (error: Error) => logger.warn({ event: 'postgres-connection-error', err: error }, 'a Postgres connection failed; the pool reconnects');
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    location,
    durably: (work) => db.transaction().execute(work),
    commitOne: (query) => db.executeQuery(query),
    close: () => db.destroy(),
  };
}
