import type { MachineInfo } from './machine';
import type { Summary } from './stats';
import type { LadderResult } from '../scenarios/relay-capacity';

/** Everything one `npm run bench` measures; the report is generated from this alone. */
export interface BenchResults {
  mode: 'quick' | 'full';
  command: string;
  startedAt: string;
  finishedAt: string;
  durationS: number;
  machine: MachineInfo;
  /** How the run was set up (connection counts, samples, user pool), in words for the report. */
  setup: string[];
  relay?: RelayResults;
  callSetup?: CallSetupResults;
  storm?: StormResults;
  bundle?: BundleResults;
  heartbeat?: HeartbeatResults;
  /** Scenarios that failed to run, with the error. */
  failures: { scenario: string; error: string }[];
}

export interface RelayResults {
  bare: LadderResult;
  peerjs: LadderResult;
  ours: LadderResult;
  /** One small SQLite commit on this disk, with synchronous=FULL and with NORMAL (the server uses both). */
  commitCost: { full: Summary; normal: Summary };
  /** Bytes of the delivered message for each probe (same for every server). */
  messageBytes: { invite: number; signal: number };
}

export interface CallSetupResults {
  calls: number;
  ours: Summary & { samples: number[] };
  bare: Summary & { samples: number[] };
  /** Attribution: accept on the callee -> the caller starts its peer (how long the accept takes to arrive). */
  acceptToCallerPeer: { ours: Summary; bare: Summary };
  failures: number;
}

export interface StormRun {
  clients: number;
  connectMs: number;
  /** From the restart (server down) until every client had registered again. */
  allBackMs: number;
  serverDownMs: number;
  reRegistered: number;
  failed: number;
}

export interface StormResults {
  ours: StormRun;
  bare: StormRun;
  missedCalls: {
    recorded: number;
    delivered: number;
    lost: number;
    /** Calls ringing when the server was killed (they ring on after the restart; the caller cancels them). */
    ringingAtRestart: number;
    /** Calls placed right after the restart... */
    duringOutage: number;
    /** ...of which the callee's device had not reconnected yet (answered `unavailable`). */
    calleeStillOffline: number;
  };
}

export interface BundleResults {
  ours: { files: number; rawBytes: number; gzipBytes: number; firstRenderMs: Summary };
  baseline: { files: number; rawBytes: number; gzipBytes: number; firstRenderMs: Summary };
  buildMs: number;
}

/** One heartbeat setting, held at N idle connections for one window. */
export interface HeartbeatRun {
  label: string;
  intervalMs: number;
  timeoutMs: number;
  connections: number;
  durationMs: number;
  /** Pings the clients received in the window. */
  pings: number;
  pingsPerS: number;
  /** Server CPU time (user + system) per second of the window. */
  serverCpuMsPerS: number;
  disconnects: number;
  rssMiB: number;
}

export interface HeartbeatResults {
  defaults: HeartbeatRun;
  ours: HeartbeatRun;
}
