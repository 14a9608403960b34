import { fileURLToPath } from 'node:url';
import type { MemorySample } from '../lib/memory-probe';
import { summarize, type Summary } from '../lib/stats';
import { spawnWorker, type WorkerHandle } from '../lib/worker-rpc';
import type { OpenParams } from '../workers/connection-holder';
import type { ProbeParams, ProbeResult } from '../workers/latency-prober';
import { HolderPool } from './holder-pool';
import type { ServerUnderTest } from './servers';

/**
 * Benchmarks 1 and 2: climb a ladder of idle connections held by separate processes, sample each
 * server's memory at every rung, measure relay latency at some rungs, then hold the top rung for a
 * while and count disconnects and heartbeats.
 */

/** `*-wire` (ours only): the same round with bare protocol sockets instead of PhoneCore, for attribution. */
export type ProbeName = 'invite' | 'signal' | 'invite-wire' | 'signal-wire';

export interface LadderConfig {
  /** Connection counts at which memory is sampled (ascending; 0 is sampled first anyway). */
  levels: number[];
  /** Connection counts at which latency is measured too. */
  latencyLevels: number[];
  samples: number;
  warmup: number;
  /** How long the top rung is held while counting disconnects and heartbeats. */
  holdMs: number;
  holders: number;
  connectConcurrency: number;
}

export interface Latency extends Summary {
  errors: number;
  firstError: string | null;
}

export interface Rung {
  connections: number;
  memory: MemorySample;
  /** After this rung's latency probes (the same sample as `memory` where none ran after it). */
  memoryAfterProbes: MemorySample;
  connectMs: number;
  latency: Partial<Record<ProbeName, Latency>>;
}

export interface HoldResult {
  connections: number;
  durationMs: number;
  disconnects: number;
  heartbeats: number;
  /** The fewest heartbeats any held connection saw during the hold. */
  minHeartbeatsPerConnection: number;
  failedToConnect: number;
  firstError: string | null;
}

export interface LadderResult {
  label: string;
  rungs: Rung[];
  hold: HoldResult;
}

const PROBER = fileURLToPath(new URL('../workers/latency-prober.ts', import.meta.url));

/** One server on the ladder, with its latency probes and the parameters of its idle connections. */
export interface LadderEntry {
  server: ServerUnderTest;
  probes: Partial<Record<ProbeName, ProbeParams>>;
  holderParams: Omit<OpenParams, 'firstIndex' | 'count' | 'localAddress'>;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/**
 * Climbs the ladder with every server at once (each in its own process, each with its own holder
 * processes), so the latency probes can interleave: one round of every probe of every server, in a
 * rotating order, then the next — drift on the machine hits all servers alike.
 */
export async function runLadders(entries: LadderEntry[], config: LadderConfig, log: (line: string) => void): Promise<LadderResult[]> {
  const pools = entries.map(() => new HolderPool(config.holders));
  const prober = spawnWorker(PROBER);
  const rungs: Rung[][] = entries.map(() => []);
  try {
    await Promise.all([...pools.map((pool) => pool.ready()), prober.ready]);
    const levels = [...new Set([0, ...config.levels, ...config.latencyLevels])].sort((a, b) => a - b);
    for (const level of levels) {
      const connectMs: number[] = [];
      for (const [i, entry] of entries.entries()) {
        const pool = pools[i] as HolderPool;
        const started = Date.now();
        if (level > pool.held) {
          const opened = await pool.add(level - pool.held, entry.holderParams);
          if (opened.failed > 0) log(`  ${entry.server.label}: ${opened.failed} connections failed (${opened.firstError})`);
        }
        connectMs.push(Date.now() - started);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the connect burst settle
      const sampleAll = () => Promise.all(entries.map((entry) => entry.server.process.memory()));
      // Rung 0: probes first, so the baseline is a warmed-up server. Other rungs: memory first, because the
      // probes allocate and RSS rarely shrinks; the sample after the probes shows what calls leave behind.
      const measuring = config.latencyLevels.includes(level);
      let latency: Rung['latency'][] = entries.map(() => ({}));
      if (level === 0 && measuring) latency = await probeAll(prober, entries, config, level, log);
      const memory = await sampleAll();
      entries.forEach((entry, i) => log(`  ${entry.server.label} @${level}: rss ${mib(memory[i]?.rss ?? 0)} MiB, heap ${mib(memory[i]?.heapUsed ?? 0)} MiB (connect ${connectMs[i]} ms)`));
      if (level !== 0 && measuring) latency = await probeAll(prober, entries, config, level, log);
      const after = level !== 0 && measuring ? await sampleAll() : memory;
      entries.forEach((_, i) => {
        const sample = memory[i] as MemorySample;
        rungs[i]?.push({ connections: level, memory: sample, memoryAfterProbes: after[i] ?? sample, connectMs: connectMs[i] ?? 0, latency: latency[i] ?? {} });
      });
    }
    await Promise.all(pools.map((pool) => pool.each('resetCounters')));
    const holdStarted = Date.now();
    await new Promise((resolve) => setTimeout(resolve, config.holdMs));
    const held = await Promise.all(pools.map((pool) => pool.stats()));
    return entries.map((entry, i) => {
      const stats = held[i] as Awaited<ReturnType<HolderPool['stats']>>;
      const hold: HoldResult = {
        connections: stats.open,
        durationMs: Date.now() - holdStarted,
        disconnects: stats.disconnects,
        heartbeats: stats.heartbeats,
        minHeartbeatsPerConnection: stats.minHeartbeats,
        failedToConnect: stats.failed,
        firstError: stats.firstError,
      };
      log(`  ${entry.server.label}: held ${hold.connections} for ${hold.durationMs} ms: ${hold.disconnects} disconnects, ${hold.heartbeats} heartbeats (min ${hold.minHeartbeatsPerConnection} per connection)`);
      return { label: entry.server.label, rungs: rungs[i] ?? [], hold };
    });
  } finally {
    await Promise.all(pools.map((pool) => pool.each('closeAll').catch(() => undefined)));
    await Promise.all([...pools.map((pool) => pool.stop()), prober.stop()]);
  }
}

async function probeAll(prober: WorkerHandle, entries: LadderEntry[], config: LadderConfig, level: number, log: (line: string) => void): Promise<Rung['latency'][]> {
  const pairs = entries.flatMap((entry, i) => (Object.entries(entry.probes) as [ProbeName, ProbeParams][]).map(([name, params]) => ({ key: `${i}:${name}`, params })));
  const results = await prober.call<Record<string, ProbeResult>>('measureInterleaved', { pairs, samples: config.samples, warmup: config.warmup }, 20 * 60_000);
  return entries.map((entry, i) => {
    const latency: Rung['latency'] = {};
    for (const name of Object.keys(entry.probes) as ProbeName[]) {
      const result = results[`${i}:${name}`];
      if (!result) continue;
      latency[name] = { ...summarize(result.samples), errors: result.errors, firstError: result.firstError };
      log(`  ${entry.server.label} @${level}: ${name} p50 ${latency[name]?.p50.toFixed(3)} ms, p99 ${latency[name]?.p99.toFixed(3)} ms, errors ${result.errors}`);
    }
    return latency;
  });
}
