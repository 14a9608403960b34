import { fileURLToPath } from 'node:url';
import type { MemorySample } from '../lib/memory-probe';
import { summarize, type Summary } from '../lib/stats';
import { spawnWorker } from '../lib/worker-rpc';
import type { OpenParams } from '../workers/connection-holder';
import type { ProbeParams, ProbeResult } from '../workers/latency-prober';
import { HolderPool } from './holder-pool';
import type { ServerUnderTest } from './servers';

/**
 * Benchmarks 1 and 2 for one server: climb a ladder of idle connections held by separate processes,
 * sample the server's memory at every rung, measure relay latency at some rungs, then hold the top
 * rung for a while and count disconnects and heartbeats.
 */

/** `invite-wire` (ours only): the invite with bare protocol sockets instead of PhoneCore, for attribution. */
export type ProbeName = 'invite' | 'signal' | 'invite-wire';

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

export async function runLadder(
  server: ServerUnderTest,
  config: LadderConfig,
  probes: Partial<Record<ProbeName, ProbeParams>>,
  holderParams: Omit<OpenParams, 'firstIndex' | 'count' | 'localAddress'>,
  log: (line: string) => void,
): Promise<LadderResult> {
  const pool = new HolderPool(config.holders);
  const prober = spawnWorker(PROBER);
  const rungs: Rung[] = [];
  try {
    await Promise.all([pool.ready(), prober.ready]);
    const levels = [...new Set([0, ...config.levels, ...config.latencyLevels])].sort((a, b) => a - b);
    for (const level of levels) {
      const started = Date.now();
      if (level > pool.held) {
        const opened = await pool.add(level - pool.held, holderParams);
        if (opened.failed > 0) log(`  ${server.label}: ${opened.failed} connections failed (${opened.firstError})`);
      }
      const connectMs = Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // let the connect burst settle
      // Rung 0: probes first, so the baseline is a warmed-up server. Other rungs: memory first, because the
      // probes allocate and RSS rarely shrinks; the sample after the probes shows what calls leave behind.
      const latency: Rung['latency'] = {};
      const runProbes = async () => {
        if (!config.latencyLevels.includes(level)) return;
        for (const [name, params] of Object.entries(probes) as [ProbeName, ProbeParams][]) {
          const result = await prober.call<ProbeResult>('measure', { params, samples: config.samples, warmup: config.warmup }, 10 * 60_000);
          latency[name] = { ...summarize(result.samples), errors: result.errors, firstError: result.firstError };
          log(`  ${server.label} @${level}: ${name} p50 ${latency[name]?.p50.toFixed(3)} ms, p99 ${latency[name]?.p99.toFixed(3)} ms, errors ${result.errors}`);
        }
      };
      if (level === 0) await runProbes();
      const memory = await server.process.memory();
      log(`  ${server.label} @${level}: rss ${(memory.rss / 2 ** 20).toFixed(1)} MiB, heap ${(memory.heapUsed / 2 ** 20).toFixed(1)} MiB (connect ${connectMs} ms)`);
      if (level !== 0) await runProbes();
      const memoryAfterProbes = level !== 0 && config.latencyLevels.includes(level) ? await server.process.memory() : memory;
      rungs.push({ connections: level, memory, memoryAfterProbes, connectMs, latency });
    }
    await pool.each('resetCounters');
    const holdStarted = Date.now();
    await new Promise((resolve) => setTimeout(resolve, config.holdMs));
    const held = await pool.stats();
    const hold: HoldResult = {
      connections: held.open,
      durationMs: Date.now() - holdStarted,
      disconnects: held.disconnects,
      heartbeats: held.heartbeats,
      minHeartbeatsPerConnection: held.minHeartbeats,
      failedToConnect: held.failed,
      firstError: held.firstError,
    };
    log(`  ${server.label}: held ${hold.connections} for ${hold.durationMs} ms: ${hold.disconnects} disconnects, ${hold.heartbeats} heartbeats (min ${hold.minHeartbeatsPerConnection} per connection)`);
    return { label: server.label, rungs, hold };
  } finally {
    await pool.each('closeAll').catch(() => undefined);
    await Promise.all([pool.stop(), prober.stop()]);
  }
}
