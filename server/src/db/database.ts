import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { StartupError } from '../startup-error';
import { CORE_MIGRATIONS, migrateCore } from './migrations';

export type Db = Database.Database;

/**
 * Opens (and migrates) the service database in DATA_DIR/softphone.db: WAL for concurrent readers,
 * foreign keys on, and synchronous NORMAL. In WAL mode NORMAL loses nothing when the process dies
 * (kill -9 included): a commit is in the WAL file before it returns, and only a power cut or an
 * OS crash can take back the last commits. What must survive even that is committed with
 * `commitDurably` (synchronous FULL for that one transaction, which fsyncs the WAL).
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = resolve(dataDir, 'softphone.db');
  let db: Db | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrateCore(db, CORE_MIGRATIONS);
    return db;
  } catch (error) {
    db?.close();
    // "unable to open database file" and "file is not a database" say nothing about which file.
    throw new StartupError(`cannot open the database ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Runs `work` in one transaction that is on disk (fsynced) when this returns, power cut included. */
export function commitDurably<T>(db: Db, work: () => T): T {
  db.pragma('synchronous = FULL');
  try {
    return db.transaction(work)();
  } finally {
    db.pragma('synchronous = NORMAL');
  }
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

/** `db.prepare(sql)`, once per SQL text and connection: preparing costs more than running a small statement. */
export function prepared(db: Db, sql: string): Database.Statement {
  let statements = statementCache.get(db);
  if (!statements) statementCache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}

/** Checkpoints the WAL into the main file and closes the handle (graceful shutdown). */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // A full disk can refuse the checkpoint; the WAL is replayed at the next open, nothing is lost.
  }
  db.close();
}
