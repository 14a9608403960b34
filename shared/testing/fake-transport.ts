import { ACKED_SERVER_EVENTS } from '../protocol';
import type { ClientEventName, ErrorBody, HandshakeAuth, ServerEventName, ServerPayload } from '../protocol';
import type { Clock } from '../phone/ports';
import { TransportRequestError } from '../phone/transport';
import type { HandshakeAuthProvider, Transport, TransportConnectionEvent } from '../phone/transport';

export interface SentRequest {
  event: ClientEventName;
  payload: unknown;
  resolve(ack: unknown): void;
  settled: boolean;
}

type Responder = (payload: unknown) => unknown;

/** Acks the fake answers with unless a test scripts otherwise. Events not listed stay pending. */
const DEFAULT_ACKS: Partial<Record<ClientEventName, Responder>> = {
  'call:ringing': () => ({ ok: true }),
  'call:reject': () => ({ ok: true }),
  'call:cancel': () => ({ ok: true }),
  'call:hangup': () => ({ ok: true }),
  'call:hold': () => ({ ok: true }),
  'call:mute': () => ({ ok: true }),
  'call:signal': () => ({ ok: true, delivered: true }),
};

/**
 * An in-memory Transport whose server side the test scripts: accept or refuse connections,
 * push server events, answer requests (automatically or by hand), drop the connection.
 * With a clock, requests time out like socket.io's `timeout(ms)`.
 */
export class FakeTransport implements Transport {
  connected = false;
  auth: HandshakeAuthProvider | null = null;
  readonly requests: SentRequest[] = [];
  readonly calls = { connect: 0, disconnect: 0, reconnectNow: 0 };
  private readonly responders = new Map<ClientEventName, Responder>(Object.entries(DEFAULT_ACKS) as Array<[ClientEventName, Responder]>);
  private readonly listeners = new Map<string, Set<(payload: unknown, ack?: (response: unknown) => void) => void>>();
  /** Acknowledgements the client sent for pushed events that asked for one, in order. */
  readonly acks: Array<{ event: ServerEventName; payload: unknown }> = [];
  private readonly connectionListeners = new Set<(event: TransportConnectionEvent) => void>();

  constructor(private readonly clock?: Clock) {}

  // ---- Transport -------------------------------------------------------------------------
  connect(auth: HandshakeAuthProvider): void {
    this.auth = auth;
    this.calls.connect++;
  }

  disconnect(): void {
    this.calls.disconnect++;
    if (this.connected) this.drop('io client disconnect', false);
  }

  reconnectNow(): void {
    this.calls.reconnectNow++;
    if (this.connected) this.drop('io client disconnect', false);
  }

  request(event: ClientEventName, payload: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.connected) return Promise.reject(new TransportRequestError('OFFLINE', `not connected: ${event} not sent`));
    return new Promise((resolve, reject) => {
      const sent: SentRequest = { event, payload, settled: false, resolve: () => {} };
      const timer = this.clock?.setTimeout(() => {
        if (sent.settled) return;
        sent.settled = true;
        reject(new TransportRequestError('TIMEOUT', `${event}: operation has timed out`));
      }, timeoutMs);
      sent.resolve = (ack) => {
        if (sent.settled) return;
        sent.settled = true;
        if (timer !== undefined) this.clock?.clearTimeout(timer);
        if (ack instanceof TransportRequestError) reject(ack);
        else resolve(ack);
      };
      this.requests.push(sent);
      const responder = this.responders.get(event);
      if (responder) sent.resolve(responder(payload));
    });
  }

  on(event: ServerEventName, listener: (payload: unknown, ack?: (response: unknown) => void) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onConnection(listener: (event: TransportConnectionEvent) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  // ---- the scripted server side ----------------------------------------------------------
  /** Answer every future `event` request with `responder(payload)`. */
  respond(event: ClientEventName, responder: Responder): void {
    this.responders.set(event, responder);
  }

  /** Leave future `event` requests pending (to answer them by hand with ack()). */
  hold(event: ClientEventName): void {
    this.responders.delete(event);
  }

  /** Answer the oldest pending `event` request. */
  ack(event: ClientEventName, ack: unknown): void {
    const pending = this.requests.find((r) => r.event === event && !r.settled);
    if (!pending) throw new Error(`no pending ${event} request`);
    pending.resolve(ack);
  }

  sent<E extends ClientEventName>(event: E): unknown[] {
    return this.requests.filter((r) => r.event === event).map((r) => r.payload);
  }

  async handshake(): Promise<HandshakeAuth> {
    if (!this.auth) throw new Error('connect() was not called');
    return this.auth();
  }

  acceptConnection(): void {
    this.connected = true;
    this.emitConnection({ type: 'connected' });
  }

  refuse(error: ErrorBody | null, willRetry = error === null, message = error?.message ?? 'xhr poll error'): void {
    this.connected = false;
    this.emitConnection({ type: 'connect-error', error, message, willRetry });
  }

  drop(reason = 'transport close', willReconnect = true): void {
    this.connected = false;
    for (const r of this.requests) if (!r.settled) r.resolve(new TransportRequestError('OFFLINE', `${r.event}: socket has been disconnected`));
    this.emitConnection({ type: 'disconnected', reason, willReconnect });
  }

  push<E extends ServerEventName>(event: E, payload: ServerPayload<E>): void {
    this.pushRaw(event, payload);
  }

  /** Push a payload that may not match the schema (to test validation). Events in ACKED_SERVER_EVENTS ask for an acknowledgement (recorded in `acks`). */
  pushRaw(event: ServerEventName, payload: unknown): void {
    const acked = (ACKED_SERVER_EVENTS as readonly string[]).includes(event);
    const ack = acked ? () => void this.acks.push({ event, payload }) : undefined;
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(payload, ack);
  }

  private emitConnection(event: TransportConnectionEvent): void {
    for (const listener of [...this.connectionListeners]) listener(event);
  }
}
