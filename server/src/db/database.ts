import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_MIGRATIONS, migrateCore } from './migrations';

export type Db = Database.Database;

/**
 * Opens (and migrates) the service database in DATA_DIR/softphone.db.
 * WAL for concurrent readers, foreign keys on, synchronous FULL so a committed missed call
 * survives even a power cut, not only kill -9.
 */
export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'softphone.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrateCore(db, CORE_MIGRATIONS);
  return db;
}

/** Checkpoints the WAL into the main file and closes the handle (graceful shutdown). */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
