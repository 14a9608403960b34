import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { summarize, type Summary } from '../lib/stats';

/**
 * Attribution for the invite figure: what one small SQLite commit costs on this disk in WAL mode with
 * synchronous=FULL (an fsync per commit: survives a power cut) and with synchronous=NORMAL (survives
 * kill -9, not a power cut). The server commits the call row with NORMAL before it emits call:incoming,
 * and a missed call with FULL before the caller is told; the bare relay pays neither.
 */
export function measureCommitCost(samples: number): { full: Summary; normal: Summary } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-commit-'));
  try {
    const run = (synchronous: 'FULL' | 'NORMAL') => {
      const db = new Database(join(dir, `${synchronous}.db`));
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${synchronous}`);
      db.exec('CREATE TABLE calls (id TEXT PRIMARY KEY, caller TEXT, callee TEXT, started_at TEXT, status TEXT)');
      const insert = db.prepare('INSERT INTO calls VALUES (?, ?, ?, ?, ?)');
      const times: number[] = [];
      for (let i = 0; i < samples + 50; i++) {
        const started = performance.now();
        insert.run(`call-${i}`, 'caller', 'callee', new Date().toISOString(), 'ringing');
        if (i >= 50) times.push(performance.now() - started);
      }
      db.close();
      return summarize(times);
    };
    return { full: run('FULL'), normal: run('NORMAL') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
