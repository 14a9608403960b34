export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  /** path:line from the project root, `node:...`, or a package path; '' for V8's own frames. */
  location: string;
  ms: number;
  /** Of the busy (not idle) time in the window. */
  percent: number;
}

export interface ProfileSummary {
  windowMs: number;
  busyMs: number;
  busyPercent: number;
  /** Top frames by self time. */
  selfFrames: ProfileRow[];
  /** Self time by package, folder of ours, Node module or V8 frame (`name` is the module). */
  modules: ProfileRow[];
  /** server/src and shared functions by total time, callees included. */
  ourInclusive: ProfileRow[];
}

export function moduleOf(callFrame: { functionName: string; url: string }): string;
/** `from`/`to`: µs in the profile's clock (process.hrtime.bigint() / 1000n). */
export function summarizeProfile(profile: CpuProfile, options?: { from?: number; to?: number; top?: number }): ProfileSummary;
