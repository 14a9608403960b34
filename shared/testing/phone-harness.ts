import { PROTOCOL_VERSION } from '../protocol';
import type { ServerPayload } from '../protocol';
import type { RingPolicy } from '../phone/api';
import { PhoneCore } from '../phone/phone-core';
import type { TokenProvider } from '../phone/ports';
import { ALICE, BOB, CALL_ID } from './fixtures';
import { FakeTransport } from './fake-transport';
import { ManualClock } from './manual-clock';
import { MemoryStore } from './memory-store';
import { RecordingLogger, RecordingNotifier } from './recording-notifier';

export const DEVICE_ID = 'device-test-1';

/** A token provider whose tokens are numbered, so a test can see which one a handshake used. */
export class CountingTokens implements TokenProvider {
  generation = 1;
  refreshes = 0;
  failRefresh = false;
  async getToken(): Promise<string> {
    return `token-${this.generation}`;
  }
  async refresh(): Promise<string> {
    this.refreshes++;
    if (this.failRefresh) throw new Error('refresh token revoked');
    this.generation++;
    return `token-${this.generation}`;
  }
}

export function sessionReady(overrides: Partial<ServerPayload<'session:ready'>> = {}): ServerPayload<'session:ready'> {
  return {
    user: ALICE,
    deviceId: DEVICE_ID,
    serverTime: '2025-01-01T10:00:00.000Z',
    accessTokenExpiresAt: '2025-01-01T10:15:00.000Z',
    presence: 'online',
    pendingInvites: [],
    outgoingCalls: [],
    activeCalls: [],
    transfers: [],
    roles: [],
    agent: null,
    queuedCalls: [],
    ...overrides,
  };
}

/** A PhoneCore on in-memory ports, for unit tests. */
export function phoneHarness(options: { ringPolicy?: RingPolicy; deviceId?: string | null; adoptAnsweredCalls?: boolean } = {}) {
  const clock = new ManualClock();
  const transport = new FakeTransport(clock);
  const store = new MemoryStore(options.deviceId === undefined ? DEVICE_ID : options.deviceId, options.ringPolicy ?? null);
  const notifier = new RecordingNotifier();
  const logger = new RecordingLogger();
  const auth = new CountingTokens();
  const core = new PhoneCore({
    transport,
    clock,
    store,
    notifier,
    auth,
    logger,
    random: () => 0.5,
    timeouts: { ackMs: 5_000, pingMs: 1_000, checkMs: 4_000 },
    adoptAnsweredCalls: options.adoptAnsweredCalls,
  });
  return {
    core,
    clock,
    transport,
    store,
    notifier,
    logger,
    auth,
    /** start(), accept the socket and send session:ready. */
    online(ready: Partial<ServerPayload<'session:ready'>> = {}) {
      core.start();
      transport.acceptConnection();
      transport.push('session:ready', sessionReady(ready));
    },
    /** Drop and come back with a new session:ready. */
    reconnect(ready: Partial<ServerPayload<'session:ready'>> = {}) {
      transport.drop();
      transport.acceptConnection();
      transport.push('session:ready', sessionReady(ready));
    },
  };
}

export const EXPECTED_PROTOCOL_VERSION = PROTOCOL_VERSION;

/** Lets pending promise callbacks run (the fakes resolve synchronously, so a few microtask turns suffice). */
export async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}

/** A successful call:invite acknowledgement for CALL_ID to BOB. */
/** The server's invite acknowledgement; the ring deadline is a minute after the harness clock's start. */
export const RING_UNTIL = '2025-01-01T10:01:00.000Z';
export const inviteAck = (status: 'ringing' | 'unavailable' = 'ringing') => ({
  ok: true,
  callId: CALL_ID,
  status,
  devices: status === 'ringing' ? 1 : 0,
  callee: BOB,
  ringUntil: RING_UNTIL,
});

/** Collects a listener's calls. */
export function record<T extends unknown[]>() {
  const seen: T[] = [];
  return { seen, listener: (...args: T) => void seen.push(args) };
}
