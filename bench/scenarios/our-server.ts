import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnWorker } from '../lib/worker-rpc';
import type { ServerUnderTest } from './servers';

const MAIN = fileURLToPath(new URL('../../server/src/main.ts', import.meta.url));

/**
 * Settings the benchmark runs our server with; everything else is the product default (log level info,
 * ring timeout 60 s, resume grace 30 s). The invite rate limits are raised because one benchmark user places
 * thousands of invites a minute, the registration limit because every benchmark user registers from
 * 127.0.0.1, and the access-token lifetime because a full run outlasts the default 15 min.
 */
export const BENCH_SERVER_ENV = {
  INVITE_RATE_LIMIT: '1000000',
  INVITE_RATE_WINDOW_S: '60',
  INCOMING_INVITE_RATE_LIMIT: '1000000',
  REGISTER_RATE_LIMIT: '1000000',
  ACCESS_TOKEN_TTL: '7200',
};

export interface OurServer extends ServerUnderTest {
  dataDir: string;
  /**
   * SIGKILL (or SIGTERM with `graceful`), then start again on the same port and DATA_DIR; with `execArgv`,
   * the new process (and later ones) get these extra node flags (e.g. --cpu-prof).
   */
  restart(options?: { graceful?: boolean; execArgv?: string[] }): Promise<{ downMs: number }>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`our server did not answer /healthz within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Our signalling server as its own process, with the memory probe preloaded; logs go to DATA_DIR/server.log. */
export interface OurServerOptions {
  /** Extra node flags. */
  execArgv?: string[];
  /** What to run: server/src/main.ts through tsx (default), or the esbuild bundle (dist/server/main.js). */
  main?: string;
}

export async function startOurServer(env: Record<string, string> = {}, options: OurServerOptions = {}): Promise<OurServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'softphone-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = openSync(join(dataDir, 'server.log'), 'a');
  let execArgv = options.execArgv ?? [];
  const launch = async () => {
    const handle = spawnWorker(options.main ?? MAIN, {
      waitForReady: false,
      execArgv,
      stdout: logFd,
      env: { NODE_ENV: 'production', ...BENCH_SERVER_ENV, ...env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, WEB_ROOT: join(dataDir, 'no-web-root') },
    });
    await waitForHealth(url, 30_000);
    return handle;
  };
  let handle = await launch();
  const server: OurServer = {
    kind: 'ours',
    label: 'our server',
    url,
    port,
    dataDir,
    get process() {
      return handle;
    },
    async restart(options = {}) {
      const stopped = Date.now();
      if (options.graceful) await handle.stop(15_000);
      else await handle.kill9();
      execArgv = options.execArgv ?? execArgv;
      handle = await launch();
      return { downMs: Date.now() - stopped };
    },
    async stop() {
      await handle.stop(15_000);
      closeSync(logFd);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
