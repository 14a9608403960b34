import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../scripts/build-server.mjs';
import type { StartupResults } from '../lib/results';
import { summarize } from '../lib/stats';
import { BENCH_SERVER_ENV, freePort } from './our-server';

/**
 * Benchmark 7: start-up of the signalling service, `tsx server/src/main.ts` (npm run server) against the
 * esbuild bundle with plain node (npm run serve): from spawn until /healthz first answers 200. Each start is
 * a restart on an existing DATA_DIR (database migrated, JWT secret present), as in a deploy or a crash, and
 * the two alternate start by start so drift on the machine hits both alike.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'server/src/main.ts');

/** CPU time (user + system) the process has used so far, from /proc (Linux; NaN elsewhere). */
function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

async function timeToHealthy(args: string[], dataDir: string): Promise<{ wallMs: number; cpuMs: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...BENCH_SERVER_ENV, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, WEB_ROOT: join(dataDir, 'no-web-root') },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before /healthz answered`);
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (healthy) return { wallMs: performance.now() - started, cpuMs: cpuMsOf(child.pid) };
      if (performance.now() - started > 60_000) throw new Error(`${args.join(' ')}: /healthz did not answer within 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function runServerStartup(config: { starts: number }, log: (line: string) => void): Promise<StartupResults> {
  const built = await buildServer();
  const dirs = { tsx: mkdtempSync(join(tmpdir(), 'bench-start-tsx-')), compiled: mkdtempSync(join(tmpdir(), 'bench-start-js-')) };
  const commands = { tsx: ['--import', 'tsx', MAIN], compiled: ['--enable-source-maps', built.outfile] };
  try {
    // One start each creates the database and the secret (and warms tsx's transform cache); not counted.
    await timeToHealthy(commands.tsx, dirs.tsx);
    await timeToHealthy(commands.compiled, dirs.compiled);
    const wall = { tsx: [] as number[], compiled: [] as number[] };
    const cpu = { tsx: [] as number[], compiled: [] as number[] };
    for (let i = 0; i < config.starts; i++) {
      for (const kind of i % 2 === 0 ? (['tsx', 'compiled'] as const) : (['compiled', 'tsx'] as const)) {
        const start = await timeToHealthy(commands[kind], dirs[kind]);
        wall[kind].push(start.wallMs);
        cpu[kind].push(start.cpuMs);
      }
    }
    const result: StartupResults = {
      buildMs: built.ms,
      bundleBytes: statSync(built.outfile).size,
      tsx: { ...summarize(wall.tsx), samples: wall.tsx, cpuMs: summarize(cpu.tsx) },
      compiled: { ...summarize(wall.compiled), samples: wall.compiled, cpuMs: summarize(cpu.compiled) },
    };
    log(`  start-up p50: tsx ${result.tsx.p50.toFixed(0)} ms (CPU ${result.tsx.cpuMs.p50.toFixed(0)} ms), compiled ${result.compiled.p50.toFixed(0)} ms (CPU ${result.compiled.cpuMs.p50.toFixed(0)} ms): ${(result.compiled.p50 / result.tsx.p50).toFixed(2)}×; build ${built.ms} ms`);
    return result;
  } finally {
    rmSync(dirs.tsx, { recursive: true, force: true });
    rmSync(dirs.compiled, { recursive: true, force: true });
  }
}
