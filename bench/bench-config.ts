import type { CallThroughputConfig } from './scenarios/call-throughput';
import type { ClusterBenchConfig } from './scenarios/cluster';
import type { HeartbeatConfig } from './scenarios/heartbeat-load';
import type { LineOfferConfig } from './scenarios/line-offer';
import type { RelayBenchConfig } from './scenarios/relay-benchmark';
import type { TransferCompleteConfig } from './scenarios/transfer-complete';

/** Sizes of every benchmark, full and quick. One place, so the report can state them. */
export interface BenchConfig {
  mode: 'quick' | 'full';
  relay: RelayBenchConfig;
  callSetup: { calls: number; warmupCalls: number };
  storm: { clients: number; users: number; holders: number; missedCallees: number; ringingAtRestart: number; duringOutage: number };
  bundle: { loads: number };
  callThroughput: CallThroughputConfig;
  startup: { starts: number };
  heartbeat: HeartbeatConfig;
  cluster: ClusterBenchConfig;
  transferComplete: TransferCompleteConfig;
  lineOffer: LineOfferConfig;
  /** The whole run is aborted after this many seconds. */
  deadlineS: number;
  describe: string[];
}

export function benchConfig(mode: 'quick' | 'full'): BenchConfig {
  const quick = mode === 'quick';
  const relay: RelayBenchConfig = quick
    ? { levels: [500], latencyLevels: [0, 500], samples: 300, warmup: 50, holdMs: 5_000, holders: 2, connectConcurrency: 50, users: 50 }
    : { levels: [1_000, 5_000, 10_000], latencyLevels: [0, 1_000, 10_000], samples: 1_000, warmup: 100, holdMs: 60_000, holders: 4, connectConcurrency: 50, users: 1_000 };
  const callSetup = quick ? { calls: 5, warmupCalls: 1 } : { calls: 20, warmupCalls: 2 };
  const storm = quick
    ? { clients: 500, users: 50, holders: 2, missedCallees: 10, ringingAtRestart: 5, duringOutage: 10 }
    : { clients: 5_000, users: 500, holders: 4, missedCallees: 50, ringingAtRestart: 25, duringOutage: 50 };
  const bundle = { loads: quick ? 3 : 10 };
  const callThroughput: CallThroughputConfig = quick
    ? { pairs: 16, workers: 2, rounds: 1, warmupMs: 500, durationMs: 2_000 }
    : { pairs: 64, workers: 2, rounds: 5, warmupMs: 2_000, durationMs: 6_000 };
  const startup = { starts: quick ? 2 : 10 };
  // Quick: only proves the scenario runs (a 10 s window is shorter than the default ping interval, so its ratio means little).
  const heartbeat: HeartbeatConfig = quick
    ? { connections: 100, users: 10, holders: 1, windowMs: 10_000, settleMs: 1_000 }
    : { connections: 10_000, users: 500, holders: 4, windowMs: 60_000, settleMs: 5_000 }; // 20 devices per user: the device cap
  // Full run (or --only=cluster): the quick variant exists for trying the scenario out, CI never runs it.
  const cluster: ClusterBenchConfig = quick
    ? { latencySamples: 30, pairs: 16, workers: 2, rounds: 1, warmupMs: 500, durationMs: 2_000, storm: { clients: 500, users: 50, holders: 2, missedCallees: 10 } }
    : { latencySamples: 200, pairs: 64, workers: 2, rounds: 3, warmupMs: 2_000, durationMs: 6_000, storm: { clients: 5_000, users: 500, holders: 4, missedCallees: 50 } };
  // Full run (or --only=transfer-complete): the quick variant exists for trying the scenario out, CI never runs it.
  const transferComplete: TransferCompleteConfig = quick ? { samples: 3, warmupSamples: 1 } : { samples: 20, warmupSamples: 2 };
  // 200 agents in both runs (the figure the issue asks for); the quick run takes fewer samples.
  const lineOffer: LineOfferConfig = quick ? { agents: 200, samples: 20, warmup: 3 } : { agents: 200, samples: 200, warmup: 10 };
  return {
    mode,
    cluster,
    transferComplete,
    lineOffer,
    relay,
    callSetup,
    storm,
    bundle,
    callThroughput,
    startup,
    heartbeat,
    // Quick: base 170 s, +130 s for throughput and start-up, +30 s for the heartbeat. Full: +900 s for the heartbeat's 10,000 devices (twice).
    deadlineS: quick ? 480 : 2_600, // a guard against a hung scenario, not a speed target (about 200 s on a quiet machine)
    describe: [
      `Relay and capacity: the bare relay, PeerJS and our server run side by side, each in its own process; each holds idle connections ${[0, ...relay.levels].join(', ')} from ${relay.holders} client processes of its own (each on its own 127.0.0.x source address); latency is measured at ${relay.latencyLevels.join(', ')} idle connections, ${relay.samples} samples per figure after ${relay.warmup} warm-up rounds, every probe of every server taking one round per turn in a rotating order; the top rung is held for ${relay.holdMs / 1000} s.`,
      `Our server's idle connections are authenticated devices: ${relay.users} registered users (argon2 via POST /api/auth/register), connection i is device \`bench-device-i\` of user i mod ${relay.users}. Each latency probe uses two extra users of its own that hold no idle devices.`,
      'Our server runs with its defaults (log level info to a file, SQLite WAL in a temp dir) except INVITE_RATE_LIMIT=1000000 (one probe user places thousands of invites) and ACCESS_TOKEN_TTL=7200.',
      `Call setup: ${callSetup.calls} calls per side after ${callSetup.warmupCalls} warm-up calls. Reconnect storm: ${storm.clients} clients (${storm.users} users). Bundle: ${bundle.loads} page loads per app.`,
      `Call-cycle throughput: ${callThroughput.pairs} caller/callee pairs in ${callThroughput.workers} load-generator processes, ${callThroughput.rounds} round(s) of ${callThroughput.durationMs / 1000} s per server after ${callThroughput.warmupMs / 1000} s of warm-up, alternating; then one profiled round. Start-up: ${startup.starts} starts of each kind, alternating.`,
      `Cluster (full run only): invite latency ${cluster.latencySamples} samples per side; throughput ${cluster.pairs} pairs, ${cluster.rounds} rounds of ${cluster.durationMs / 1000} s per profile; storm ${cluster.storm.clients} PhoneCores (${cluster.storm.users} users) through HAProxy, kill -9 of one of three nodes, ${cluster.storm.missedCallees} missed calls.`,
      `Transfer complete (full run only): ${transferComplete.samples} consult transfers completed and ${transferComplete.samples} direct calls, alternating, after ${transferComplete.warmupSamples} warm-up of each.`,
      `Line offer: ${lineOffer.agents} agents, each with one connected device and available, members of a ring-all and a longest-idle line; ${lineOffer.samples} calls per kind (each line, and a direct call) after ${lineOffer.warmup} warm-up rounds, the kinds taking turns; every call cancelled and every offered agent free again before the next.`,
      `Heartbeat: our server holding ${heartbeat.connections} idle devices (${heartbeat.users} users) from ${heartbeat.holders} client process(es), once with socket.io's default heartbeat and once with ours, measured over ${heartbeat.windowMs / 1000} s each.`,
    ],
  };
}
