import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StartupError } from '../startup-error';

/** The lock held on DATA_DIR while this process runs. */
export interface DataDirLock {
  readonly dir: string;
  release(): void;
}

const LOCK_FILE = 'softphone.lock';
const PID_FILE = 'softphone.pid';

/**
 * Takes an exclusive lock on DATA_DIR before anything in it is opened, so two servers can never run
 * on one database. The lock is an OS file lock (SQLite's POSIX advisory lock on DATA_DIR/softphone.lock,
 * held by an EXCLUSIVE transaction that is never committed): the kernel drops it when the process
 * exits in any way, kill -9 included, so a crashed server never leaves a stale lock behind.
 * A second server fails at once with a StartupError naming the folder.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StartupError(`cannot create DATA_DIR ${dir}: ${(error as Error).message}`);
  }
  let handle: Database.Database;
  try {
    handle = new Database(join(dir, LOCK_FILE), { timeout: 0 });
    handle.pragma('locking_mode = EXCLUSIVE');
    handle.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new StartupError(`DATA_DIR ${dir} is in use by another softphone server${otherPid(dir)}; stop it or choose another DATA_DIR`);
    }
    throw new StartupError(`cannot lock DATA_DIR ${dir} (${join(dir, LOCK_FILE)}): ${(error as Error).message}`);
  }
  try {
    writeFileSync(join(dir, PID_FILE), `${process.pid}\n`);
  } catch {
    // Only informs the message a second server prints; the lock itself is what matters.
  }
  return {
    dir,
    release() {
      if (handle.open) handle.close();
    },
  };
}

function otherPid(dir: string): string {
  try {
    const pid = Number(readFileSync(join(dir, PID_FILE), 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}
