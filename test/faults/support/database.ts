import Database from 'better-sqlite3';
import { join } from 'node:path';
import { queryStore } from '../../support/test-store';

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

/** Every row of every table of a test server's store (SQLite file or Postgres database), ordered, as one comparable value. */
export async function snapshotStore(server: { dataDir: string; databaseUrl?: string }): Promise<Record<string, unknown[]>> {
  const listTables = server.databaseUrl
    ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name"
    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
  const tables = await queryStore<{ name: string }>(server, listTables);
  const snapshot: Record<string, unknown[]> = {};
  for (const { name } of tables) snapshot[name] = await queryStore(server, `SELECT * FROM "${name}" ORDER BY 1`);
  return snapshot;
}
