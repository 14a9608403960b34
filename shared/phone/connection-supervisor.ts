import { PROTOCOL_VERSION } from '../protocol';
import type { ErrorBody } from '../protocol';
import type { ConnectionState, ConnectionStatus } from './api';
import { backoffDelay } from './backoff';
import type { BackoffOptions } from './backoff';
import type { Clock, Logger, TimerHandle, TokenProvider } from './ports';
import type { Transport, TransportConnectionEvent } from './transport';
import { request } from './wire';

export interface SupervisorOptions {
  transport: Transport;
  clock: Clock;
  auth: TokenProvider;
  logger: Logger;
  deviceId: string;
  backoff: BackoffOptions;
  random: () => number;
  pingTimeoutMs: number;
  /** How long a session:renew may take. */
  renewTimeoutMs: number;
  /** Converts a server time (ISO) to this clock's time (ms), with the offset measured at session:ready. */
  toLocal: (serverTime: string) => number;
  /** How long checkConnection() waits for the reconnect it started before it reports. */
  checkTimeoutMs: number;
  /** A connection that stayed up this long resets the manual backoff. */
  stableAfterMs: number;
  onState: (state: ConnectionState) => void;
}

/** Refusals that no retry can fix: go offline with the reason. */
const PERMANENT: ReadonlySet<string> = new Set(['PROTOCOL_MISMATCH', 'VALIDATION_FAILED']);
const AUTH: ReadonlySet<string> = new Set(['TOKEN_EXPIRED', 'UNAUTHORIZED']);

/**
 * Keeps the signalling connection up and reports its status. socket.io-client does exponential
 * backoff with jitter for network failures; this handles the rest: server-side disconnects,
 * refused handshakes (refresh the token once on TOKEN_EXPIRED/UNAUTHORIZED, stop on
 * PROTOCOL_MISMATCH), `session:shutdown`, `session:closed`, and checkConnection().
 * The status becomes 'online' only when the session is registered (markReady, on session:ready).
 * While online it renews the connection's access token in place (`session:renew`) at three quarters
 * of its remaining life, so the server never has to close it for TOKEN_EXPIRED; if that fails, the
 * server closes it at expiry and the refresh-and-reconnect path takes over.
 */
export class ConnectionSupervisor {
  private state: ConnectionState = { status: 'offline', reason: 'not started', code: null };
  private running = false;
  private everOnline = false;
  private refreshTried = false;
  private manualAttempt = 0;
  private onlineSince: number | null = null;
  private retryTimer: TimerHandle | null = null;
  private renewTimer: TimerHandle | null = null;
  /** Why the server said it closes the connection (session:closed); acted on at the disconnect that follows. */
  private closedByServer: ErrorBody | null = null;
  private waiters: Array<() => void> = [];
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: SupervisorOptions) {}

  current(): ConnectionState {
    return this.state;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.everOnline = false;
    this.refreshTried = false;
    this.unsubscribe = this.o.transport.onConnection((event) => this.onTransport(event));
    this.set('connecting', null, null);
    this.o.transport.connect(async () => ({ token: await this.o.auth.getToken(), deviceId: this.o.deviceId, protocolVersion: PROTOCOL_VERSION }));
  }

  stop(): void {
    this.running = false;
    this.clearRetry();
    this.clearRenewal();
    this.o.transport.disconnect();
    this.set('offline', 'stopped', null);
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** session:ready arrived: registered and reconciled. `tokenExpiresAt`: when the connection's access token expires (server time). */
  markReady(tokenExpiresAt: string): void {
    this.everOnline = true;
    this.refreshTried = false;
    this.onlineSince = this.o.clock.now();
    this.set('online', null, null);
    this.scheduleRenewal(tokenExpiresAt);
  }

  /** session:closed: the server is about to close the connection; the disconnect that follows is handled as this refusal. */
  serverClosed(error: ErrorBody): void {
    if (!this.running) return;
    this.o.logger.warn('the server closes the session', { code: error.code, message: error.message });
    this.closedByServer = error;
    this.clearRenewal();
  }

  /** session:shutdown: the server is going away; come back after its delay instead of hammering it. */
  serverShutdown(reconnectAfterMs: number): void {
    if (!this.running) return;
    this.o.logger.info('server shutting down', { reconnectAfterMs });
    this.o.transport.disconnect();
    this.set('reconnecting', 'the server is restarting', 'SHUTDOWN');
    this.scheduleRetry(reconnectAfterMs);
  }

  /** Re-verify now: ping if connected (reconnect at once if it fails); reconnect at once if not. */
  async check(): Promise<ConnectionState> {
    if (!this.running) return this.state;
    if (this.o.transport.connected && this.state.status === 'online') {
      const pong = await request(this.o.transport, 'session:ping', {}, this.o.pingTimeoutMs);
      if (pong.ok) return this.state;
      this.o.logger.warn('ping failed: reconnecting now', { code: pong.error.code });
    }
    const settled = this.nextOutcome();
    this.reconnectNow(this.everOnline ? 'reconnecting' : 'connecting', 'checking the connection');
    await settled;
    return this.state;
  }

  private reconnectNow(status: ConnectionStatus, reason: string): void {
    this.clearRetry();
    this.set(status, reason, null);
    this.o.transport.reconnectNow();
  }

  private onTransport(event: TransportConnectionEvent): void {
    if (!this.running) return;
    if (event.type === 'connected') {
      this.closedByServer = null;
      this.o.logger.info('connected; waiting for session:ready');
      return;
    }
    const lostStatus: ConnectionStatus = this.everOnline ? 'reconnecting' : 'connecting';
    if (event.type === 'disconnected') {
      this.noteDisconnect();
      this.clearRenewal();
      const closed = this.closedByServer;
      this.closedByServer = null;
      if (event.reason === 'io client disconnect') return; // ours: reconnectNow/serverShutdown already set the status
      if (closed && event.reason === 'io server disconnect') {
        this.onConnectError(closed, closed.message, false, lostStatus);
        return;
      }
      this.o.logger.warn('disconnected', { reason: event.reason, willReconnect: event.willReconnect });
      if (event.willReconnect) {
        this.set(lostStatus, `connection lost (${event.reason})`, 'transport');
      } else {
        this.set(lostStatus, 'the server closed the connection', 'SERVER_DISCONNECT');
        this.scheduleRetry(this.nextManualDelay());
      }
      return;
    }
    this.onConnectError(event.error, event.message, event.willRetry, lostStatus);
  }

  private onConnectError(error: ErrorBody | null, message: string, willRetry: boolean, lostStatus: ConnectionStatus): void {
    if (!error) {
      this.set(lostStatus, `server unreachable (${message})`, 'transport');
      if (!willRetry) this.scheduleRetry(this.nextManualDelay());
      this.release();
      return;
    }
    this.o.logger.warn('handshake refused', { code: error.code, message: error.message });
    if (PERMANENT.has(error.code)) {
      this.o.transport.disconnect();
      const reason =
        error.code === 'PROTOCOL_MISMATCH'
          ? `the server does not accept this app's protocol version ${PROTOCOL_VERSION} (${error.message}); update the app`
          : `the server refused the connection: ${error.message}`;
      this.set('offline', reason, error.code);
      return;
    }
    if (AUTH.has(error.code)) {
      if (this.refreshTried) {
        this.o.transport.disconnect();
        this.set('offline', `sign-in required: ${error.message}`, error.code);
        return;
      }
      this.refreshTried = true;
      this.set(lostStatus, 'refreshing the session', error.code);
      this.o.auth.refresh().then(
        () => this.running && this.reconnectNow(lostStatus, 'refreshed the session'),
        (refreshError: unknown) => {
          this.o.transport.disconnect();
          const why = refreshError instanceof Error ? refreshError.message : String(refreshError);
          this.set('offline', `sign-in required: the session could not be refreshed (${why})`, error.code);
        },
      );
      return;
    }
    this.set(lostStatus, `the server refused the connection: ${error.message}`, error.code);
    if (!willRetry) this.scheduleRetry(this.nextManualDelay());
    this.release();
  }

  private noteDisconnect(): void {
    const since = this.onlineSince;
    this.onlineSince = null;
    if (since !== null && this.o.clock.now() - since >= this.o.stableAfterMs) this.manualAttempt = 0;
  }

  private nextManualDelay(): number {
    return backoffDelay(this.manualAttempt++, this.o.backoff, this.o.random);
  }

  private scheduleRetry(delayMs: number): void {
    this.clearRetry();
    this.retryTimer = this.o.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.reconnectNow(this.everOnline ? 'reconnecting' : 'connecting', 'retrying');
    }, delayMs);
  }

  private scheduleRenewal(tokenExpiresAt: string): void {
    this.clearRenewal();
    const left = this.o.toLocal(tokenExpiresAt) - this.o.clock.now();
    this.renewTimer = this.o.clock.setTimeout(() => {
      this.renewTimer = null;
      void this.renew();
    }, Math.max(0, Math.floor(left * 0.75)));
  }

  private async renew(): Promise<void> {
    if (!this.running || this.state.status !== 'online') return;
    try {
      const token = await this.o.auth.refresh();
      const ack = await request(this.o.transport, 'session:renew', { token }, this.o.renewTimeoutMs);
      if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
      if (this.running && this.state.status === 'online') this.scheduleRenewal(ack.value.accessTokenExpiresAt);
    } catch (error) {
      this.o.logger.warn('could not renew the access token in place; the server closes the connection at expiry and it reconnects', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private clearRenewal(): void {
    if (this.renewTimer !== null) this.o.clock.clearTimeout(this.renewTimer);
    this.renewTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.o.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** Resolves at the next online/refused/offline outcome, or after checkTimeoutMs. */
  private nextOutcome(): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.o.clock.setTimeout(done, this.o.checkTimeoutMs);
      const clock = this.o.clock;
      function done() {
        clock.clearTimeout(timer);
        resolve();
      }
      this.waiters.push(done);
    });
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  private set(status: ConnectionStatus, reason: string | null, code: string | null): void {
    const same = this.state.status === status && this.state.reason === reason && this.state.code === code;
    this.state = { status, reason, code };
    if (status === 'online' || status === 'offline') this.release();
    if (!same) this.o.onState(this.state);
  }
}
