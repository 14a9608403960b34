import type { ServerEventName, ServerPayload } from '../../../shared/protocol';
import type { CallsRepo } from '../db/calls-repo';
import type { Logger } from '../logger';
import type { DurableTimers } from '../timers/durable-timers';
import type { CombinedHooks } from './call-hooks';
import type { CallRegistry } from './call-registry';
import type { RecordWriter } from './record-writer';
import type { ResumeState } from './resume-state';

/** How the call service reaches devices (implemented over socket.io by the gateway). */
export interface DeviceDelivery {
  toDevice<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>): void;
  /** Emits expecting the device's acknowledgement (`onAck` runs when it arrives); false when the device has no socket. */
  toDeviceAcked<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>, onAck: () => void): boolean;
  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>): void;
  /** The user's connected devices (on any node in the cluster profile, hence possibly a promise). */
  onlineDevices(userId: string): string[] | Promise<string[]>;
  /** The device has a socket (on any node in the cluster profile, hence possibly a promise). */
  isOnline(userId: string, deviceId: string): boolean | Promise<boolean>;
}

export type TimerHandle = ReturnType<typeof setTimeout>;

/** Time, injectable for tests. */
export interface Clock {
  now(): number;
  setTimer(run: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (run, ms) => setTimeout(run, ms),
  clearTimer: (handle) => clearTimeout(handle),
};

/**
 * The clock the service runs its timers on: a timer callback that throws is logged and never escapes
 * (an exception out of a timer would end the process). Timer handlers re-check the state they act on,
 * so a late or repeated one is harmless.
 */
export function guardedClock(clock: Clock, logger: Logger): Clock {
  return {
    now: () => clock.now(),
    clearTimer: (handle) => clock.clearTimer(handle),
    setTimer: (run, ms) =>
      clock.setTimer(() => {
        try {
          run();
        } catch (error) {
          logger.error({ event: 'timer-failed', err: error }, 'a timer failed');
        }
      }, ms),
  };
}

export interface CallSettings {
  ringTimeoutMs: number;
  resumeGraceMs: number;
  /**
   * True when this process is the only writer of call records (single profile: SQLite under the DATA_DIR
   * lock): its registry is then the whole truth. False with a shared Postgres (see record-writer.ts).
   */
  soleWriter: boolean;
}

/** Everything the call routing pieces share. */
export interface CallContext {
  registry: CallRegistry;
  repo: CallsRepo;
  /** Call-record writes that must not fail a live call (answer, end): in order, retried while storage is unavailable. */
  writer: RecordWriter;
  delivery: DeviceDelivery;
  clock: Clock;
  /** The ring timer and the resume grace (call-timers.ts): in process, or durable jobs any node runs (cluster). */
  timers: DurableTimers;
  /** Away devices and unacknowledged signals (resume-state.ts): on the call in process, or in Redis (cluster). */
  resume: ResumeState;
  hooks: CombinedHooks;
  settings: CallSettings;
  logger: Logger;
  /** Told whenever a user's call state changed (presence may now be busy / no longer busy). */
  onCallStateChanged(userId: string): void;
}
