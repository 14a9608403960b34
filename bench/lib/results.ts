import type { ProfileSummary } from '../../scripts/cpu-profile-top.mjs';
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
  cluster?: ClusterResults;
  bundle?: BundleResults;
  callThroughput?: CallThroughputResults;
  startup?: StartupResults;
  heartbeat?: HeartbeatResults;
  transferComplete?: TransferCompleteResults;
  lineOffer?: LineOfferResults;
  /** Scenarios that failed to run, with the error. */
  failures: { scenario: string; error: string }[];
  /** Runs merged in later with `--only=... --merge`: which sections each one replaced. */
  laterRuns?: { command: string; startedAt: string; durationS: number; machine: MachineInfo; sections: string[] }[];
}

/** The sections of a report, by the field that holds each. */
export const RESULT_SECTIONS = { relay: '1–2', callSetup: '3', storm: '4', bundle: '5', callThroughput: '6', startup: '7', heartbeat: '8', cluster: '9', transferComplete: '10', lineOffer: '11' } as const;

/**
 * `--merge`: the stored results with the sections this run measured replaced (each section's ratios still
 * come from one run), and a note of which run they came from.
 */
export function mergeResults(stored: BenchResults, run: BenchResults): BenchResults {
  if (stored.mode !== run.mode) throw new Error(`--merge: the stored report is a ${stored.mode} run, this one is ${run.mode}`);
  const merged: BenchResults = { ...stored, setup: run.setup, failures: [...stored.failures, ...run.failures] };
  const replaced: string[] = [];
  for (const key of Object.keys(RESULT_SECTIONS) as (keyof typeof RESULT_SECTIONS)[]) {
    if (run[key] === undefined) continue;
    Object.assign(merged, { [key]: run[key] });
    replaced.push(RESULT_SECTIONS[key]);
  }
  merged.laterRuns = [...(stored.laterRuns ?? []), { command: run.command, startedAt: run.startedAt, durationS: run.durationS, machine: run.machine, sections: replaced }];
  return merged;
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

type SampledSummary = Summary & { p90: number; samples: number[] };

/** Issue 15: consult transfer Complete -> customer <-> expert media, against a fresh direct call customer -> expert. */
export interface TransferCompleteResults {
  samples: number;
  /** Complete sent by the agent -> media both ways on the new call. */
  transfer: SampledSummary;
  /** Invite -> media both ways on a direct call (the baseline). */
  direct: SampledSummary;
  /** Attribution: Complete -> the customer creates its new peer (the server's completion and call:replaced). */
  transferSignalling: Summary;
  /** Attribution: Complete -> both new peers `connect` (ICE and DTLS). */
  transferConnect: Summary;
  /** The direct call from the callee's answer (instead of the invite) -> media both ways. */
  directFromAccept: Summary;
  /** Attribution: the customer (the offerer) creates its peer -> both peers `connect`, in each flow. */
  webrtc?: { transfer: Summary; direct: Summary };
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

export interface ThroughputRun {
  cyclesPerSecond: number;
  cycles: number;
  /** The server process's CPU time (user + system, from /proc) in the measured window, per answered cycle. */
  cpuMsPerCycle: number;
  errors: number;
  firstError: string | null;
}

export interface CallThroughputResults {
  pairs: number;
  workers: number;
  durationMs: number;
  /** median: cycles per second; cpuMsPerCycle: the median of the runs' server CPU per cycle. */
  bare: { median: number; cpuMsPerCycle: number; runs: ThroughputRun[] };
  ours: { median: number; cpuMsPerCycle: number; runs: ThroughputRun[] };
  /** Bare CPU per cycle ÷ ours: the share of the relay's rate our server reaches when both are CPU-bound (the load-independent ratio). */
  cpuRatio: number;
  /** ours ÷ bare of each round (the two runs of a round are back to back), and their median: the headline. */
  roundRatios: number[];
  ratio: number;
  /** The extra round against our server under `node --cpu-prof` (the profiler's own cost is in this figure). */
  profiled: ThroughputRun;
  /** Where the profiled server spent its measured window; the whole profile is kept in `file`. */
  profile: ProfileSummary & { file: string };
}

export interface StartupResults {
  /** esbuild bundle of server/src/main.ts (npm run build:server), this run. */
  buildMs: number;
  bundleBytes: number;
  /** Spawn → first 200 from /healthz (wall time), on an existing DATA_DIR (a restart), alternating the two; cpuMs: the process's CPU time by then. */
  tsx: Summary & { samples: number[]; cpuMs: Summary };
  compiled: Summary & { samples: number[]; cpuMs: Summary };
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

export interface ClusterThroughputRun {
  cyclesPerSecond: number;
  errors: number;
  /** CPU time (user + system) each process used in the measured window, per answered call cycle. */
  cpuMsPerCycle: Record<string, number>;
}

export interface ClusterResults {
  latency: { sameNode: Summary; crossNode: Summary; p50Ratio: number; p99Ratio: number };
  throughput: { pairs: number; single: ClusterThroughputRun[]; cluster: ClusterThroughputRun[] };
  storm: {
    clients: number;
    killedNode: string;
    /** Connections the killed node held (HAProxy's count just before the kill). */
    displaced: number;
    reRegistered: number;
    /** From the kill until every client was online again. */
    allBackMs: number;
    /** Section 4's single-profile storm in the same run (kill -9 and restart of the one server), when it ran. */
    singleAllBackMs: number;
    missedCalls: { recorded: number; lost: number; calleeReconnecting: number };
  };
}

/** Invite → the first agent device's `call:incoming` on a line of `agents` available agents, per strategy, against a direct call. */
export interface LineOfferResults {
  agents: number;
  direct: Summary;
  strategies: { strategy: 'ring-all' | 'longest-idle'; line: Summary; p50Ratio: number; p99Ratio: number }[];
}
