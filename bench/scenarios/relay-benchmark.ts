import { INVITE_SIZED_PAYLOAD, jsonBytes, SAMPLE_SIGNAL, SIGNAL_SIZED_PAYLOAD } from '../lib/payloads';
import type { RelayResults } from '../lib/results';
import type { ProbeParams } from '../workers/latency-prober';
import { measureCommitCost } from './durable-commit';
import { startOurServer } from './our-server';
import { runLadders, type LadderConfig, type ProbeName } from './relay-capacity';
import { startBareRelay, startPeerJs, type ServerUnderTest } from './servers';
import { registerUsers } from './user-pool';

/** Benchmarks 1 and 2: the same ladder against the bare relay, PeerJS and our server, one after another. */

export interface RelayBenchConfig extends LadderConfig {
  /** Users in the idle-connection pool; connection i is a device of user i mod users. */
  users: number;
}

function baselineProbes(server: ServerUnderTest): Partial<Record<ProbeName, ProbeParams>> {
  if (server.kind === 'bare') {
    return {
      invite: { kind: 'bare', url: server.url, payload: INVITE_SIZED_PAYLOAD },
      signal: { kind: 'bare', url: server.url, payload: SIGNAL_SIZED_PAYLOAD },
    };
  }
  return {
    invite: { kind: 'peerjs', port: server.port, payload: INVITE_SIZED_PAYLOAD },
    signal: { kind: 'peerjs', port: server.port, payload: SIGNAL_SIZED_PAYLOAD },
  };
}

export async function runRelayBenchmark(config: RelayBenchConfig, log: (line: string) => void): Promise<RelayResults> {
  const holder = (server: ServerUnderTest) => ({ kind: server.kind, url: server.url, port: server.port, concurrency: config.connectConcurrency });
  const started: ServerUnderTest[] = [];
  try {
    const bare = await startBareRelay();
    started.push(bare);
    const peerjs = await startPeerJs();
    started.push(peerjs);
    const ours = await startOurServer();
    started.push(ours);
    const registering = Date.now();
    // Each probe pair has its own two users: the pairs are open at the same time, and an invite rings on every device of the callee.
    const probeUsers = await registerUsers(ours.url, 'probe', 8);
    const pool = await registerUsers(ours.url, 'idle', config.users);
    log(`  registered ${config.users + probeUsers.length} users in ${Date.now() - registering} ms`);
    // A fresh process for the measurements: argon2's hashing leaves native memory in the RSS for a while.
    await ours.restart({ graceful: true });
    const pair = (n: number) => {
      const caller = probeUsers[2 * n];
      const callee = probeUsers[2 * n + 1];
      if (!caller || !callee) throw new Error('probe users missing');
      return {
        url: ours.url,
        caller: { token: caller.token, deviceId: `probe-caller-device-${n}` },
        callee: { token: callee.token, deviceId: `probe-callee-device-${n}`, username: callee.username },
      };
    };
    const [bareResult, peerjsResult, oursResult] = await runLadders(
      [
        { server: bare, probes: baselineProbes(bare), holderParams: holder(bare) },
        { server: peerjs, probes: baselineProbes(peerjs), holderParams: holder(peerjs) },
        {
          server: ours,
          probes: {
            invite: { kind: 'ours-invite', ...pair(0) },
            signal: { kind: 'ours-signal', ...pair(1), signal: SAMPLE_SIGNAL },
            'invite-wire': { kind: 'ours-invite-wire', ...pair(2) },
            'signal-wire': { kind: 'ours-signal-wire', ...pair(3), signal: SAMPLE_SIGNAL },
          },
          holderParams: { ...holder(ours), tokens: pool.map((user) => user.token) },
        },
      ],
      config,
      log,
    );
    if (!bareResult || !peerjsResult || !oursResult) throw new Error('ladder results missing');
    const commitCost = measureCommitCost(config.samples);
    log(`  SQLite commit p50: synchronous=FULL ${commitCost.full.p50.toFixed(3)} ms, NORMAL ${commitCost.normal.p50.toFixed(3)} ms`);
    return {
      bare: bareResult,
      peerjs: peerjsResult,
      ours: oursResult,
      commitCost,
      messageBytes: { invite: jsonBytes(INVITE_SIZED_PAYLOAD), signal: jsonBytes(SIGNAL_SIZED_PAYLOAD) },
    };
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
}
