import { INVITE_SIZED_PAYLOAD, jsonBytes, SAMPLE_SIGNAL, SIGNAL_SIZED_PAYLOAD } from '../lib/payloads';
import type { RelayResults } from '../lib/results';
import type { ProbeParams } from '../workers/latency-prober';
import { measureCommitCost } from './durable-commit';
import { startOurServer } from './our-server';
import { runLadder, type LadderConfig, type ProbeName } from './relay-capacity';
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

async function withServer<T>(start: () => Promise<ServerUnderTest>, body: (server: ServerUnderTest) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

export async function runRelayBenchmark(config: RelayBenchConfig, log: (line: string) => void): Promise<RelayResults> {
  const holder = (server: ServerUnderTest) => ({ kind: server.kind, url: server.url, port: server.port, concurrency: config.connectConcurrency });
  log('relay/capacity: bare socket.io relay');
  const bare = await withServer(startBareRelay, (server) => runLadder(server, config, baselineProbes(server), holder(server), log));
  log('relay/capacity: PeerJS server');
  const peerjs = await withServer(startPeerJs, (server) => runLadder(server, config, baselineProbes(server), holder(server), log));
  log('relay/capacity: our server');
  const ours = await withServer(startOurServer, async (server) => {
    const started = Date.now();
    const [caller, callee] = await registerUsers(server.url, 'probe', 2);
    const pool = await registerUsers(server.url, 'idle', config.users);
    log(`  registered ${config.users + 2} users in ${Date.now() - started} ms`);
    if (!caller || !callee) throw new Error('probe users missing');
    const pair = {
      url: server.url,
      caller: { token: caller.token, deviceId: 'probe-caller-device' },
      callee: { token: callee.token, deviceId: 'probe-callee-device', username: callee.username },
    };
    const probes: Record<ProbeName, ProbeParams> = {
      invite: { kind: 'ours-invite', ...pair },
      signal: { kind: 'ours-signal', ...pair, signal: SAMPLE_SIGNAL },
      'invite-wire': { kind: 'ours-invite-wire', ...pair },
    };
    return runLadder(server, config, probes, { ...holder(server), tokens: pool.map((user) => user.token) }, log);
  });
  const commitCost = measureCommitCost(config.samples);
  log(`  SQLite commit p50: synchronous=FULL ${commitCost.full.p50.toFixed(3)} ms, NORMAL ${commitCost.normal.p50.toFixed(3)} ms`);
  return { bare, peerjs, ours, commitCost, messageBytes: { invite: jsonBytes(INVITE_SIZED_PAYLOAD), signal: jsonBytes(SIGNAL_SIZED_PAYLOAD) } };
}
