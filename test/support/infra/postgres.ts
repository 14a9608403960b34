import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../server';
import { makeTempDir, type RunAs } from './managed-process';
import { startRigServer, type RigServer } from './rig-server';

const run = promisify(execFile);

/** Debian's layout: /usr/lib/postgresql/<major>/bin. Override with PG_BIN. */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A throwaway Postgres cluster (initdb into a temporary folder) on 127.0.0.1, trust auth, user `postgres`. */
export interface PostgresServer extends RigServer {
  /** postgresql://postgres@127.0.0.1:PORT/DATABASE (the database created at start) */
  readonly url: string;
  readonly port: number;
  readonly database: string;
  /** PGDATA: survives restart() and kill9(). */
  readonly dataDir: string;
  /** URL of another database on this server. */
  urlFor(database: string): string;
  /** CREATE DATABASE through the server's own client tools. */
  createDatabase(name: string): Promise<string>;
  /**
   * Fast shutdown (SIGINT: open sessions are ended, as `pg_ctl restart -m fast`) unless already down, then
   * start on the same port and data; after kill9() the start runs crash recovery. pid() is the postmaster
   * itself, never a wrapper.
   */
  restart(): Promise<void>;
}

export interface PostgresOptions {
  /** Database created at start (default `softphone_test`). */
  database?: string;
  startTimeoutMs?: number;
}

/** As root, Postgres refuses to run: the folder and the server belong to the `postgres` user. */
async function serverUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function serverArgs(dataDir: string, socketDir: string, port: number): string[] {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir,
    // A throwaway server: no fsync (a crash here is kill -9, never a power cut, and the OS keeps what was
    // written). synchronous_commit stays on: with it off, a commit acknowledged up to ~0.6 s before a
    // kill -9 of the postmaster is lost, which would make a crash test fail for the rig's sake.
    fsync: 'off',
    full_page_writes: 'off',
    max_connections: '200',
  };
  return ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])];
}

/**
 * A postmaster killed with -9 leaves its small System V shared-memory segment behind (its next start
 * would remove it). Before the folder goes, remove it: postmaster.pid's 7th line is "<key> <shmid>",
 * and the file is still there only when the server did not shut down cleanly.
 */
function releaseSharedMemory(dataDir: string): void {
  try {
    const shmid = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[6]?.trim().split(/\s+/)[1];
    if (shmid && /^\d+$/.test(shmid)) execFileSync('ipcrm', ['-m', shmid], { stdio: 'ignore' });
  } catch {
    // no pid file (clean shutdown), or the segment is already gone
  }
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  if (!existsSync(join(PG_BIN, 'postgres'))) throw new Error(`Postgres is not installed at ${PG_BIN} (Debian: apt-get install postgresql, or set PG_BIN)`);
  const owner = await serverUser();
  const dir = makeTempDir('rig-postgres-', owner, () => releaseSharedMemory(dataDir));
  const dataDir = join(dir, 'data');
  const database = options.database ?? 'softphone_test';
  const port = await freePort();
  const urlFor = (name: string) => `postgresql://postgres@127.0.0.1:${port}/${name}`;
  const tool = (name: string, args: string[]) => run(join(PG_BIN, name), args, owner ? { uid: owner.uid, gid: owner.gid } : {});
  const createDatabase = async (name: string) => {
    await tool('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
    return urlFor(name);
  };
  const isReady = async () => {
    await run(join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-t', '1']);
    return true;
  };
  const server = await startRigServer({
    process: () => ({ name: 'postgres', command: join(PG_BIN, 'postgres'), args: serverArgs(dataDir, dir, port), logFile: join(dir, 'postgres.log'), runAs: owner }),
    ready: { what: `postgres on 127.0.0.1:${port} accepting connections`, probe: isReady, timeoutMs: options.startTimeoutMs ?? 30_000, intervalMs: 100 },
    stopSignal: 'SIGINT', // fast shutdown: open sessions are ended
    dir,
    before: () => tool('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']),
    after: () => createDatabase(database),
  });
  return { ...server, url: urlFor(database), port, database, dataDir, urlFor, createDatabase };
}
