import { launch, readLog, removeTempDir, waitUntil, type ManagedProcess, type ProcessSpec } from './managed-process';

/** The lifecycle every server of the rig shares (Redis, Postgres, HAProxy). */
export interface RigServer {
  /** Process id of the current run. */
  pid(): number;
  running(): boolean;
  /** The graceful stop unless already down (after kill9), then a new run on the same port and folder. */
  restart(): Promise<void>;
  /** kill -9 and wait for the exit. Start it again with restart(). */
  kill9(): Promise<void>;
  /** Everything it logged, all runs. */
  logs(): string;
  /** The graceful stop, then remove its folder. */
  stop(): Promise<void>;
}

export interface RigServerSpec {
  /** What to run, read again at every (re)start. */
  process: () => ProcessSpec;
  /** Resolves true once the run serves. */
  ready: { what: string; probe: () => Promise<boolean>; timeoutMs: number; intervalMs?: number };
  /** SIGTERM, or SIGINT for Postgres (its fast shutdown). */
  stopSignal: NodeJS.Signals;
  /** Its temporary folder (from makeTempDir), removed by stop() or when starting fails. */
  dir: string;
  /** Before the first start (initdb, a configuration check) and after it (CREATE DATABASE). */
  before?: () => Promise<unknown>;
  after?: () => Promise<unknown>;
}

export async function startRigServer(spec: RigServerSpec): Promise<RigServer> {
  let proc: ManagedProcess | undefined;
  const current = () => {
    if (!proc) throw new Error(`${spec.ready.what}: never started`);
    return proc;
  };
  const logs = () => readLog(spec.process().logFile);
  const start = async () => {
    const started = launch(spec.process());
    proc = started;
    await waitUntil(spec.ready.what, spec.ready.probe, { timeoutMs: spec.ready.timeoutMs, intervalMs: spec.ready.intervalMs, alive: () => started.running(), log: logs });
  };
  try {
    await spec.before?.();
    await start();
    await spec.after?.();
  } catch (error) {
    await proc?.stop('SIGKILL');
    removeTempDir(spec.dir);
    throw error;
  }
  return {
    pid: () => current().pid,
    running: () => current().running(),
    async restart() {
      await current().stop(spec.stopSignal);
      await start();
    },
    kill9: () => current().kill9(),
    logs,
    async stop() {
      await current().stop(spec.stopSignal);
      removeTempDir(spec.dir);
    },
  };
}
