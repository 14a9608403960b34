import type { HeartbeatResults, HeartbeatRun } from '../lib/results';
import { HolderPool } from './holder-pool';
import { startOurServer } from './our-server';
import { registerUsers } from './user-pool';

/**
 * Benchmark 8 (issue 10, item 12): the cost of noticing a dead link within ~10 s. Our server holds N
 * idle authenticated connections twice in the same run: with socket.io's default heartbeat (ping every
 * 25 s, 20 s timeout: up to 45 s to notice) and with ours (6 s + 4 s); for a window of equal length each
 * time, it counts the pings the clients received and the server's CPU time.
 */

export interface HeartbeatConfig {
  connections: number;
  users: number;
  holders: number;
  /** Long enough for at least two default pings per connection (full run). */
  windowMs: number;
  /** Pause after connecting, so the connect burst's CPU is not measured. */
  settleMs: number;
}

const SETTINGS = [
  { label: "socket.io's defaults (25 s + 20 s)", env: { HEARTBEAT_INTERVAL_MS: '25000', HEARTBEAT_TIMEOUT_MS: '20000' }, intervalMs: 25_000, timeoutMs: 20_000 },
  { label: 'ours (6 s + 4 s)', env: {}, intervalMs: 6_000, timeoutMs: 4_000 },
] as const;

async function measure(setting: (typeof SETTINGS)[number], config: HeartbeatConfig, log: (line: string) => void): Promise<HeartbeatRun> {
  const server = await startOurServer(setting.env);
  const pool = new HolderPool(config.holders);
  try {
    await pool.ready();
    const users = await registerUsers(server.url, 'beat', config.users);
    const opened = await pool.add(config.connections, { kind: 'ours', url: server.url, port: server.port, concurrency: 50, tokens: users.map((u) => u.token) });
    await new Promise((resolve) => setTimeout(resolve, config.settleMs));
    await pool.each('resetCounters');
    const before = await server.process.memory();
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, config.windowMs));
    const after = await server.process.memory();
    const durationMs = Date.now() - startedAt;
    const stats = await pool.stats();
    const cpuMs = after.cpuUserMs + after.cpuSystemMs - (before.cpuUserMs + before.cpuSystemMs);
    const run: HeartbeatRun = {
      label: setting.label,
      intervalMs: setting.intervalMs,
      timeoutMs: setting.timeoutMs,
      connections: opened.open,
      durationMs,
      pings: stats.heartbeats,
      pingsPerS: (stats.heartbeats / durationMs) * 1000,
      serverCpuMsPerS: (cpuMs / durationMs) * 1000,
      disconnects: stats.disconnects,
      rssMiB: after.rss / 2 ** 20,
    };
    log(`  ${run.label}: ${run.connections} connections, ${run.pings} pings in ${run.durationMs} ms (${run.pingsPerS.toFixed(0)}/s), server CPU ${run.serverCpuMsPerS.toFixed(1)} ms/s, ${run.disconnects} disconnects`);
    return run;
  } finally {
    await pool.each('closeAll').catch(() => undefined);
    await Promise.all([pool.stop(), server.stop()]);
  }
}

export async function runHeartbeatLoad(config: HeartbeatConfig, log: (line: string) => void): Promise<HeartbeatResults> {
  const defaults = await measure(SETTINGS[0], config, log);
  const ours = await measure(SETTINGS[1], config, log);
  return { defaults, ours };
}
