import type { EndReason, MissedCall } from '../protocol';
import type { CallView, RingPolicy } from './api';

/** PhoneCore's ports: everything environment-specific comes in through these. */

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Durable settings of this installation. Synchronous: electron-store and localStorage both are. */
export interface PhoneStore {
  loadDeviceId(): string | null;
  saveDeviceId(deviceId: string): void;
  loadRingPolicy(): RingPolicy | null;
  saveRingPolicy(policy: RingPolicy): void;
}

export interface RingOptions {
  /** DND ring-silent: visual only, no sound. */
  silent: boolean;
  /** Call waiting: it rings during another call. */
  waiting: boolean;
}

/** The host's ring surfaces (native notification, incoming-call window, ringtone, tray badge). */
export interface Notifier {
  startRinging(call: CallView, options: RingOptions): void;
  stopRinging(callId: string, reason: EndReason | 'answered'): void;
  /** The current unacknowledged missed calls (for a badge or a list); called whenever the set changes. */
  missedCalls(calls: MissedCall[]): void;
}

/** Gives PhoneCore the access token for the socket handshake. */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** The server said TOKEN_EXPIRED (or UNAUTHORIZED): get a fresh token (e.g. POST /api/auth/refresh). Rejects if impossible. */
  refresh(): Promise<string>;
}

export type LogFields = Record<string, unknown>;
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
