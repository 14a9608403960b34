import { buildServer } from '../../scripts/build-server.mjs';
import { signallingNode, startCluster, type Cluster } from '../../test/support/infra';
import { connectOurs, type OurSocket } from '../clients/our-protocol-client';
import { requestOk } from '../lib/protocol-calls';
import type { ClusterResults, ClusterThroughputRun } from '../lib/results';
import { summarize } from '../lib/stats';
import { spawnWorker, type WorkerHandle } from '../lib/worker-rpc';
import type { CycleOpenParams, CycleRunParams, CycleRunResult } from '../workers/call-cycle-worker';
import { cpuInWindow } from './cluster-cpu';
import { runClusterStorm, type ClusterStormConfig } from './cluster-storm';
import { BENCH_SERVER_ENV, startOurServer } from './our-server';
import { registerUsers, type BenchUser } from './user-pool';

/**
 * Benchmark 9: the cluster profile (Postgres, Redis, three compiled nodes, HAProxy; test/support/infra) on
 * this one machine, each figure against a baseline measured in the same run:
 * - invite latency (invite sent → the callee's `call:incoming`) with the callee on another node, against
 *   the callee on the caller's node;
 * - answered call cycles per second through HAProxy, against the single profile (one process, SQLite), with
 *   the CPU each process used per cycle (what the scaling on more cores can be read from);
 * - a reconnect storm: clients through HAProxy, kill -9 of one node (section 4's single-profile storm is the baseline).
 * Full run only: the cluster, its 5,000 clients and its throughput rounds cost minutes, which CI's quick run cannot spend.
 */

export interface ClusterBenchConfig {
  latencySamples: number;
  pairs: number;
  workers: number;
  rounds: number;
  warmupMs: number;
  durationMs: number;
  storm: ClusterStormConfig;
}

const WORKER = new URL('../workers/call-cycle-worker.ts', import.meta.url).pathname;

/** When the next `call:incoming` arrives, and its call id (calls are placed one at a time, each ended before the next). */
function nextIncoming(socket: OurSocket): Promise<{ at: number; callId: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no call:incoming within 10 s')), 10_000);
    socket.once('call:incoming', (payload: { callId: string }) => {
      clearTimeout(timer);
      resolve({ at: performance.now(), callId: payload.callId });
    });
  });
}

/** Invite → incoming, the callee on the caller's node and on another node, alternating; each call cancelled after. */
async function inviteLatency(cluster: Cluster, users: BenchUser[], samples: number): Promise<ClusterResults['latency']> {
  const [caller, sameCallee, crossCallee] = users;
  if (!caller || !sameCallee || !crossCallee) throw new Error('latency users missing');
  const a = await connectOurs(cluster.node('n1').url, caller.token, 'lat-caller');
  const same = await connectOurs(cluster.node('n1').url, sameCallee.token, 'lat-same');
  const cross = await connectOurs(cluster.node('n2').url, crossCallee.token, 'lat-cross');
  const times: Record<'same' | 'cross', number[]> = { same: [], cross: [] };
  try {
    for (let i = 0; i < samples + 10; i++) {
      for (const kind of i % 2 === 0 ? (['same', 'cross'] as const) : (['cross', 'same'] as const)) {
        const callee = kind === 'same' ? sameCallee : crossCallee;
        const started = performance.now();
        const incoming = nextIncoming(kind === 'same' ? same : cross); // it may arrive before the invite's acknowledgement
        const invited = await requestOk(a, 'call:invite', { to: callee.username, media: 'audio' });
        const arrived = await incoming;
        if (arrived.callId !== invited.callId) throw new Error(`call:incoming for ${arrived.callId}, expected ${invited.callId}`);
        if (i >= 10) times[kind].push(arrived.at - started); // 10 warm-up rounds
        await requestOk(a, 'call:cancel', { callId: invited.callId });
      }
    }
  } finally {
    [a, same, cross].forEach((socket) => socket.close());
  }
  const sameNode = summarize(times.same);
  const crossNode = summarize(times.cross);
  return { sameNode, crossNode, p50Ratio: crossNode.p50 / sameNode.p50, p99Ratio: crossNode.p99 / sameNode.p99 };
}

function pairsFor(users: BenchUser[], pairs: number, tag: string) {
  return Array.from({ length: pairs }, (_, i) => {
    const [caller, callee] = [users[2 * i], users[2 * i + 1]];
    if (!caller || !callee) throw new Error('call-cycle users missing');
    return { caller: { token: caller.token, username: caller.username, deviceId: `${tag}-caller-${i}` }, callee: { token: callee.token, username: callee.username, deviceId: `${tag}-callee-${i}` } };
  });
}

async function throughputRound(workers: WorkerHandle[], pids: Record<string, number>, config: ClusterBenchConfig): Promise<ClusterThroughputRun> {
  const params: CycleRunParams = { kind: 'ours', warmupMs: config.warmupMs, durationMs: config.durationMs };
  const { result, cpuMs } = await cpuInWindow(pids, config.warmupMs, config.durationMs, () =>
    Promise.all(workers.map((worker) => worker.call<CycleRunResult>('run', params, config.warmupMs + config.durationMs + 60_000))),
  );
  const cycles = result.reduce((sum, r) => sum + r.cycles, 0);
  const cpuMsPerCycle = Object.fromEntries(Object.entries(cpuMs).map(([name, used]) => [name, cycles > 0 ? used / cycles : Number.NaN]));
  return { cyclesPerSecond: cycles / (config.durationMs / 1000), errors: result.reduce((sum, r) => sum + r.errors, 0), cpuMsPerCycle };
}

export async function runClusterBench(config: ClusterBenchConfig, singleStormAllBackMs: number | undefined, log: (line: string) => void): Promise<ClusterResults> {
  const bundle = (await buildServer()).outfile;
  const single = await startOurServer({}, { main: bundle });
  // Start-up is not what this measures: a generous wait, for a loaded machine.
  const cluster = await startCluster({ nodes: 3, nodeStartTimeoutMs: 120_000, node: await signallingNode({ ...BENCH_SERVER_ENV, NODE_ENV: 'production', LOG_LEVEL: 'warn' }) });
  const workers: Record<'single' | 'cluster', WorkerHandle[]> = { single: [], cluster: [] };
  try {
    const [singleUsers, clusterUsers] = await Promise.all([registerUsers(single.url, 'cl-single', 2 * config.pairs), registerUsers(cluster.url, 'cl-cluster', 2 * config.pairs + 3)]);
    const latency = await inviteLatency(cluster, clusterUsers.slice(2 * config.pairs), config.latencySamples);
    log(`  invite → incoming p50: same node ${latency.sameNode.p50.toFixed(2)} ms, cross node ${latency.crossNode.p50.toFixed(2)} ms (${latency.p50Ratio.toFixed(2)}×); p99 ${latency.p99Ratio.toFixed(2)}×`);

    // A fresh single-profile process (argon2's hashing leaves native memory and threads behind), as section 6 does.
    await single.restart({ graceful: true });
    for (const target of ['single', 'cluster'] as const) {
      for (let i = 0; i < config.workers; i++) workers[target].push(spawnWorker(WORKER, { stdout: 'ignore' }));
    }
    await Promise.all([...workers.single, ...workers.cluster].map((worker) => worker.ready));
    const split = <T>(items: T[], part: number) => items.filter((_, i) => i % config.workers === part);
    const singlePairs = pairsFor(singleUsers, config.pairs, 'cl-single');
    const clusterPairs = pairsFor(clusterUsers, config.pairs, 'cl-cluster');
    await Promise.all(workers.single.map((worker, w) => worker.call('open', { kind: 'ours', url: single.url, pairs: split(singlePairs, w) } satisfies CycleOpenParams)));
    // Through the front: HAProxy places each device, so most pairs span two nodes (as they would in production).
    await Promise.all(workers.cluster.map((worker, w) => worker.call('open', { kind: 'ours', url: cluster.url, pairs: split(clusterPairs, w) } satisfies CycleOpenParams)));
    const singlePids = { server: single.process.pid };
    const clusterPids = { ...Object.fromEntries(cluster.nodes.map((node) => [node.name, node.pid()])), redis: cluster.redis!.pid(), postgres: cluster.postgres!.pid(), haproxy: cluster.haproxy.pid() };
    const runs: Record<'single' | 'cluster', ClusterThroughputRun[]> = { single: [], cluster: [] };
    for (let r = 0; r < config.rounds; r++) {
      for (const target of r % 2 === 0 ? (['single', 'cluster'] as const) : (['cluster', 'single'] as const)) {
        const run = await throughputRound(workers[target], target === 'single' ? singlePids : clusterPids, config);
        runs[target].push(run);
        log(`  round ${r + 1} ${target}: ${run.cyclesPerSecond.toFixed(0)} cycles/s (${run.errors} errors)`);
      }
    }
    await Promise.all([...workers.single, ...workers.cluster].map((worker) => worker.stop()));
    workers.single = [];
    workers.cluster = [];
    const storm = await runClusterStorm(cluster, config.storm, singleStormAllBackMs, log);
    return { latency, throughput: { pairs: config.pairs, single: runs.single, cluster: runs.cluster }, storm };
  } finally {
    await Promise.all([...workers.single, ...workers.cluster].map((worker) => worker.stop()));
    await Promise.all([single.stop(), cluster.stop()]);
  }
}
