import Database from 'better-sqlite3';
import { join } from 'node:path';

/** Read-only views of a running test server's SQLite file (WAL lets us read while it writes). */

export interface CallRow {
  id: string;
  caller_id: string;
  callee_id: string;
  caller_device_id: string;
  answered_device_id: string | null;
  devices_rung: string;
  media: string;
  status: 'ringing' | 'active' | 'ended';
  outcome: string | null;
  end_reason: string | null;
  ended_by: string | null;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  ring_ms: number | null;
  talk_ms: number | null;
}

export interface MissedRow {
  id: string;
  call_id: string;
  user_id: string;
  created_at: string;
  read_at: string | null;
}

function open<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'softphone.db'), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function readCalls(dataDir: string): { calls: CallRow[]; missed: MissedRow[] } {
  return open(dataDir, (db) => ({
    calls: db.prepare('SELECT * FROM calls ORDER BY id').all() as CallRow[],
    missed: db.prepare('SELECT * FROM missed_calls ORDER BY id').all() as MissedRow[],
  }));
}

/** Every row of every table, ordered, as one comparable value. */
export function snapshotDatabase(dataDir: string): Record<string, unknown[]> {
  return open(dataDir, (db) => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
    return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()]));
  });
}
