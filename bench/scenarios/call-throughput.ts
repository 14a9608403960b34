import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../scripts/build-server.mjs';
import { summarizeProfile, type CpuProfile } from '../../scripts/cpu-profile-top.mjs';
import type { CallThroughputResults, ThroughputRun } from '../lib/results';
import { spawnWorker, type WorkerHandle } from '../lib/worker-rpc';
import type { CycleOpenParams, CycleRunParams, CycleRunResult } from '../workers/call-cycle-worker';
import { cpuInWindow } from './cluster-cpu';
import { startOurServer } from './our-server';
import { startBareRelay, type ServerUnderTest } from './servers';
import { registerUsers, type BenchUser } from './user-pool';

/**
 * Benchmark 6: answered call cycles per second. Caller/callee pairs, spread over load-generator processes,
 * loop invite → incoming → accept → accepted → hangup → ended as fast as they can, against our server and
 * against the bare relay forwarding the same six messages. Rounds alternate between the two servers; then
 * one more round runs against our server under `node --cpu-prof`, and the profile of its measured window
 * is summarised (scripts/cpu-profile-top.mjs).
 */

export interface CallThroughputConfig {
  pairs: number;
  /** Load-generator processes; the pairs are split between them. */
  workers: number;
  rounds: number;
  warmupMs: number;
  durationMs: number;
}

const WORKER = fileURLToPath(new URL('../workers/call-cycle-worker.ts', import.meta.url));
const PROFILE_DIR = fileURLToPath(new URL('../../test-results/bench-profiles/', import.meta.url));
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

function split<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, part) => items.filter((_, i) => i % parts === part));
}

async function openPairs(workers: WorkerHandle[], server: ServerUnderTest, users: BenchUser[], pairs: number): Promise<void> {
  if (server.kind === 'bare') {
    const shares = split(Array.from({ length: pairs }, (_, i) => i), workers.length);
    await Promise.all(workers.map((worker, w) => worker.call('open', { kind: 'bare', url: server.url, pairs: shares[w]?.length ?? 0, tag: `cycle-w${w}` } satisfies CycleOpenParams)));
    return;
  }
  const all = Array.from({ length: pairs }, (_, i) => {
    const [caller, callee] = [users[2 * i], users[2 * i + 1]];
    if (!caller || !callee) throw new Error('call-cycle users missing');
    const user = (u: BenchUser, role: string) => ({ token: u.token, username: u.username, deviceId: `cycle-${role}-${i}` });
    return { caller: user(caller, 'caller'), callee: user(callee, 'callee') };
  });
  await Promise.all(workers.map((worker, w) => worker.call('open', { kind: 'ours', url: server.url, pairs: split(all, workers.length)[w] ?? [] } satisfies CycleOpenParams)));
}

/**
 * One measured round against one server: every worker runs its pairs at once; cycles are summed. The server
 * process's CPU time (user + system, /proc) over the measured window, divided by the cycles, is the figure the
 * machine's load moves least: a loaded machine slows both servers' wall clock, not the work each cycle costs.
 */
async function round(workers: WorkerHandle[], server: ServerUnderTest, config: CallThroughputConfig): Promise<ThroughputRun & { windowUs: [number, number] }> {
  const kind = server.kind === 'bare' ? 'bare' : 'ours';
  const startedUs = monotonicUs();
  const params: CycleRunParams = { kind, warmupMs: config.warmupMs, durationMs: config.durationMs };
  const { result: results, cpuMs } = await cpuInWindow({ server: server.process.pid }, config.warmupMs, config.durationMs, () =>
    Promise.all(workers.map((worker) => worker.call<CycleRunResult>('run', params, config.warmupMs + config.durationMs + 60_000))),
  );
  const cycles = results.reduce((sum, r) => sum + r.cycles, 0);
  const windowStartUs = startedUs + config.warmupMs * 1000;
  return {
    cyclesPerSecond: cycles / (config.durationMs / 1000),
    cycles,
    cpuMsPerCycle: cycles > 0 ? (cpuMs.server ?? Number.NaN) / cycles : Number.NaN,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    firstError: results.find((r) => r.firstError)?.firstError ?? null,
    windowUs: [windowStartUs, windowStartUs + config.durationMs * 1000],
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
};

export async function runCallThroughput(config: CallThroughputConfig, log: (line: string) => void): Promise<CallThroughputResults> {
  const started: ServerUnderTest[] = [];
  const workers: WorkerHandle[] = [];
  try {
    const bare = await startBareRelay();
    started.push(bare);
    // Production runs the bundle (npm run serve), so the benchmark does; its source map gives the profile source lines.
    const ours = await startOurServer({}, { main: (await buildServer()).outfile });
    started.push(ours);
    const users = await registerUsers(ours.url, 'cycle', 2 * config.pairs);
    // A fresh process for the measurements: argon2's hashing leaves native memory and threads behind.
    await ours.restart({ graceful: true });
    for (let i = 0; i < config.workers; i++) workers.push(spawnWorker(WORKER, { stdout: 'ignore' }));
    await Promise.all(workers.map((worker) => worker.ready));
    await openPairs(workers, bare, users, config.pairs);
    await openPairs(workers, ours, users, config.pairs);

    const runs: Record<'bare' | 'ours', ThroughputRun[]> = { bare: [], ours: [] };
    for (let r = 0; r < config.rounds; r++) {
      for (const server of r % 2 === 0 ? [bare, ours] : [ours, bare]) {
        const kind = server === bare ? 'bare' : 'ours';
        const { windowUs: _window, ...run } = await round(workers, server, config);
        runs[kind].push(run);
        log(`  round ${r + 1} ${kind}: ${run.cyclesPerSecond.toFixed(0)} cycles/s, ${(run.cpuMsPerCycle * 1000).toFixed(0)} µs CPU per cycle (${run.errors} errors)`);
      }
    }

    // The profiled round: our server restarted under --cpu-prof; the profile is written when it exits.
    // (test-results/ is where every run writes what is not committed.)
    rmSync(PROFILE_DIR, { recursive: true, force: true });
    mkdirSync(PROFILE_DIR, { recursive: true });
    await Promise.all(workers.map((worker) => worker.call('close', 'ours')));
    await ours.restart({ graceful: true, execArgv: ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] });
    const profiledPid = ours.process.pid;
    await openPairs(workers, ours, users, config.pairs);
    const { windowUs, ...profiledRun } = await round(workers, ours, config);
    await Promise.all(workers.map((worker) => worker.call('close', 'ours')));
    await ours.process.stop(15_000); // a graceful exit writes the profile
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: one per thread (tsx's loader runs in a thread of
    // its own); the server is thread 0 of its process.
    const file = readdirSync(PROFILE_DIR).find((name) => name.split('.')[3] === String(profiledPid) && name.split('.')[4] === '0');
    if (!file) throw new Error(`no CPU profile of the server's main thread in ${PROFILE_DIR}: ${readdirSync(PROFILE_DIR).join(', ')}`);
    const profile = JSON.parse(readFileSync(`${PROFILE_DIR}${file}`, 'utf8')) as CpuProfile;
    const summary = summarizeProfile(profile, { from: windowUs[0], to: windowUs[1], top: 15 });

    const bareRate = median(runs.bare.map((run) => run.cyclesPerSecond));
    const ourRate = median(runs.ours.map((run) => run.cyclesPerSecond));
    // Each round's two runs are back to back, so their ratio is the least exposed to drift on the machine.
    const roundRatios = runs.ours.map((run, r) => run.cyclesPerSecond / (runs.bare[r]?.cyclesPerSecond ?? Number.NaN));
    const ratio = median(roundRatios);
    const bareCpu = median(runs.bare.map((run) => run.cpuMsPerCycle));
    const ourCpu = median(runs.ours.map((run) => run.cpuMsPerCycle));
    // Bare CPU per cycle ÷ ours: the throughput ratio two CPU-bound servers would reach on a quiet machine.
    const cpuRatio = bareCpu / ourCpu;
    log(`  call cycles/s (median of ${config.rounds}): bare ${bareRate.toFixed(0)}, ours ${ourRate.toFixed(0)}; ours ÷ bare ${ratio.toFixed(2)}× (rounds: ${roundRatios.map((r) => r.toFixed(2)).join(', ')}); under the profiler ${profiledRun.cyclesPerSecond.toFixed(0)}`);
    log(`  server CPU per cycle (median): bare ${(bareCpu * 1000).toFixed(0)} µs, ours ${(ourCpu * 1000).toFixed(0)} µs; bare ÷ ours ${cpuRatio.toFixed(2)}×`);
    return {
      pairs: config.pairs,
      workers: config.workers,
      durationMs: config.durationMs,
      bare: { median: bareRate, cpuMsPerCycle: bareCpu, runs: runs.bare },
      ours: { median: ourRate, cpuMsPerCycle: ourCpu, runs: runs.ours },
      cpuRatio,
      roundRatios,
      ratio,
      profiled: profiledRun,
      profile: { file: `test-results/bench-profiles/${file}`, ...summary },
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(started.map((server) => server.stop()));
  }
}
