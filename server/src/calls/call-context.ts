import type { ServerEventName, ServerPayload } from '../../../shared/protocol';
import type { CallsRepo } from '../db/calls-repo';
import type { Logger } from '../logger';
import type { CallHooks } from './call-hooks';
import type { CallRegistry } from './call-registry';
import type { TimerHandle } from './live-call';

/** How the call service reaches devices (implemented over socket.io by the gateway). */
export interface DeviceDelivery {
  toDevice<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>): void;
  toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>): void;
  onlineDevices(userId: string): string[];
  isOnline(userId: string, deviceId: string): boolean;
}

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

export interface CallSettings {
  ringTimeoutMs: number;
  resumeGraceMs: number;
}

/** Everything the call routing pieces share. */
export interface CallContext {
  registry: CallRegistry;
  repo: CallsRepo;
  delivery: DeviceDelivery;
  clock: Clock;
  hooks: Required<CallHooks>;
  settings: CallSettings;
  logger: Logger;
  /** Told whenever a user's call state changed (presence may now be busy / no longer busy). */
  onCallStateChanged(userId: string): void;
}
