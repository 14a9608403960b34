import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One child process of a test (a database, a proxy, a node), its log file and its temporary folder.
 * Everything started here is also registered for an emergency clean-up when the test process exits
 * without stopping it (a failed assertion before the stop, a hook timeout): the children get SIGKILL and
 * the folders are removed, so no process or folder outlives the test run.
 */

const liveChildren = new Set<ChildProcess>();
/** Each live folder with what must happen before it goes (e.g. releasing what a killed server left in the kernel). */
const liveDirs = new Map<string, (() => void) | undefined>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of [...liveDirs.keys()]) removeTempDir(dir);
  });
}

export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * A fresh folder under the system temp dir, removed by removeTempDir (or at exit). Owned by `owner` when
 * given. `beforeRemove` runs (synchronously) right before the folder goes, in either case.
 */
export function makeTempDir(prefix: string, owner?: RunAs, beforeRemove?: () => void): string {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  liveDirs.set(dir, beforeRemove);
  return dir;
}

export function removeTempDir(dir: string): void {
  try {
    liveDirs.get(dir)?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  }
}

/** The folders and processes the clean-up would still have to remove (empty after every stop()). */
export function leftovers(): { processes: number[]; dirs: string[] } {
  return { processes: [...liveChildren].map((child) => child.pid ?? -1), dirs: [...liveDirs.keys()] };
}

export interface ProcessSpec {
  /** Shown in errors: "redis", "postgres", "node n2". */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Appended to by every run of this process (stdout and stderr). */
  logFile: string;
  /** Run as this user (the server itself, no wrapper: its pid is the real server's). */
  runAs?: RunAs;
}

/** One run of a process. A restart is a new ManagedProcess on the same spec. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited, with its exit code (null when a signal ended it) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** Sends `signal` and waits for the exit; SIGKILL after `graceMs`. Returns at once when not running. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
  /** kill -9 of the process and every process below it (as when its machine or container dies), and wait until all are gone. */
  kill9(): Promise<void>;
}

/** The process and every process below it (by parent pid, from /proc; Linux). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may contain spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  }
  return tree;
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

export function launch(spec: ProcessSpec): ManagedProcess {
  installExitHook();
  const log = openSync(spec.logFile, 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', log, log],
    ...(spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {}),
  });
  closeSync(log); // the child has its own copy of the descriptor
  liveChildren.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    };
    child.once('exit', done);
    // A command that cannot be spawned (ENOENT, EACCES) emits 'error' and never 'exit'.
    child.once('error', () => done(-1, null));
  });
  const running = () => child.exitCode === null && child.signalCode === null && liveChildren.has(child);
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000) => {
    if (!running()) return;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(killer);
  };
  const kill9 = async () => {
    if (!running()) return;
    // Postgres' children outlive a killed postmaster for a moment, holding its shared memory: a restart
    // before they are gone fails ("pre-existing shared memory block is still in use").
    const tree = processTree(child.pid ?? -1);
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited;
    await waitUntil(`${spec.name}: every process gone after kill -9`, () => !tree.some(isAlive), { timeoutMs: 10_000, intervalMs: 20 });
  };
  return {
    name: spec.name,
    pid: child.pid ?? -1,
    exited,
    running,
    stop,
    kill9,
  };
}

/** The log file's content, or '' when it does not exist yet. */
export function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Polls `probe` until it returns true. On timeout, or when `alive` says the process died, throws an error
 * that names what was awaited and ends with the process's log.
 */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean> | boolean,
  options: { timeoutMs?: number; intervalMs?: number; alive?: () => boolean; log?: () => string } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await Promise.resolve().then(probe).catch(() => false)) return;
    const died = options.alive && !options.alive();
    if (died || Date.now() > deadline) {
      const reason = died ? 'the process exited' : `not within ${timeoutMs} ms`;
      throw new Error(`${what}: ${reason}${options.log ? `\n--- log ---\n${options.log().slice(-4_000)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
