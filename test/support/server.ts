import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AuthResponse } from '../../shared/protocol';
import { ensureServerBundle } from './server-bundle';
import { newTestDatabase, testStore } from './test-store';

/** The real signalling service, spawned as its own process for a test. */
export interface TestServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  dataDir: string;
  /** The server's Postgres database (TEST_STORE=postgres, or DATABASE_URL in env); undefined: SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** SIGTERM and wait for the process to exit. */
  stop(): Promise<void>;
  /** SIGKILL (kill -9) and wait for the process to exit. */
  kill9(): Promise<void>;
  /** Start again on the same port and DATA_DIR (after stop or kill9). */
  restart(): Promise<void>;
  /** Everything the process wrote to stdout and stderr so far (all runs). */
  logs(): string;
  /** Exit code of the last run, once it exited (null if killed by a signal or still running). */
  exitCode(): number | null;
  /** Process id of the current run (e.g. to read its memory from /proc). */
  pid(): number | undefined;
}

export interface StartServerOptions {
  /** Extra environment, e.g. { RING_TIMEOUT_MS: '1500' }. */
  env?: Record<string, string>;
  /** Reuse a DATA_DIR; default: a fresh temp dir (kept across restart(); remove it with removeDataDir). */
  dataDir?: string;
  /** How long to wait for readiness. */
  startTimeoutMs?: number;
}

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * Every test registers its users from 127.0.0.1 and rings the same few callees many times, so the
 * per-address and per-callee limits are raised for tests; the tests of those limits set their own.
 */
export const TEST_LIMITS_ENV: Record<string, string> = {
  REGISTER_RATE_LIMIT: '1000000',
  INCOMING_INVITE_RATE_LIMIT: '1000000',
};

/** A free TCP port on 127.0.0.1, picked up front so restart() can reuse it. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Spawns the compiled service (dist/server/main.js, what production runs; rebuilt first when any of its
 * sources changed), with source maps on so stack traces name the TypeScript files.
 */
export async function startServer(opts: StartServerOptions = {}): Promise<TestServer> {
  const main = await ensureServerBundle();
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'softphone-server-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const databaseUrl = opts.env?.DATABASE_URL ?? (testStore() === 'postgres' ? await newTestDatabase() : undefined);
  let output = '';
  let child: ChildProcess | undefined;
  let lastExit: number | null = null;

  const launch = () =>
    new Promise<void>((resolveStart, reject) => {
      const proc = spawn(process.execPath, ['--enable-source-maps', main], {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          WEB_ROOT: join(dataDir, 'no-web-root'),
          ...TEST_LIMITS_ENV,
          ...opts.env,
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      lastExit = null;
      let ready = false;
      let buffered = '';
      const timer = setTimeout(() => {
        if (!ready) reject(new Error(`server did not start within ${opts.startTimeoutMs ?? 20_000} ms:\n${output}`));
      }, opts.startTimeoutMs ?? 20_000);
      proc.stdout?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        output += text;
        buffered += text;
        if (!ready && buffered.includes('"event":"listening"')) {
          ready = true;
          clearTimeout(timer);
          resolveStart();
        }
      });
      proc.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      proc.once('exit', (code) => {
        lastExit = code;
        if (!ready) {
          clearTimeout(timer);
          reject(new Error(`server exited (${code}) before it was ready:\n${output}`));
        }
      });
    });

  const waitForExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolveExit) => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolveExit();
      proc.once('exit', () => resolveExit());
      proc.kill(signal);
    });

  await launch();
  return {
    url,
    port,
    dataDir,
    databaseUrl,
    stop: () => waitForExit('SIGTERM'),
    kill9: () => waitForExit('SIGKILL'),
    async restart() {
      await waitForExit('SIGTERM');
      await launch();
    },
    logs: () => output,
    exitCode: () => lastExit,
    pid: () => child?.pid,
  };
}

/**
 * Starts the compiled server with exactly `env` (plus PATH/HOME, and the test limits) and waits for it to exit
 * on its own: for start-ups that must fail. Kills it after `timeoutMs` (then `code` is null).
 */
export async function runServerToExit(env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = await ensureServerBundle();
  return new Promise((resolveRun) => {
    const proc = spawn(process.execPath, ['--enable-source-maps', main], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NODE_ENV: 'test', ...TEST_LIMITS_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** Removes a test DATA_DIR (call after stop()). */
export function removeDataDir(server: TestServer): void {
  rmSync(server.dataDir, { recursive: true, force: true });
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

/** How a request ended: `{ status: 200, code: 'OK' }` on success, else the HTTP status and the error code. */
export async function outcomeOf(request: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await request;
    return { status: 200, code: 'OK' };
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: (error.body as { error?: { code?: string } } | undefined)?.error?.code ?? 'NONE' };
    throw error;
  }
}

/** A JSON request against the test server; throws HttpError on a non-2xx status. */
export async function api<T = unknown>(url: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new HttpError(response.status, parsed);
  return parsed as T;
}

/** Registers a user (password defaults to `password-<username>`, display name to the capitalised username). */
export function registerUser(url: string, username: string, password = `password-${username}`, displayName?: string): Promise<AuthResponse> {
  const name = displayName ?? username.charAt(0).toUpperCase() + username.slice(1);
  return api<AuthResponse>(url, 'POST', '/api/auth/register', { username, displayName: name, password });
}

export function loginUser(url: string, username: string, password = `password-${username}`): Promise<AuthResponse> {
  return api<AuthResponse>(url, 'POST', '/api/auth/login', { username, password });
}
