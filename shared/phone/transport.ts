import type { ClientEventName, ErrorBody, HandshakeAuth, ServerEventName } from '../protocol';

/**
 * The socket as PhoneCore sees it: a dumb pipe. Payloads are `unknown` here; wire.ts validates
 * them with the shared schemas, so every transport (socket.io, the in-memory fake) is checked the same way.
 */

/** Called before every (re)connect attempt, so a refreshed token is used. */
export type HandshakeAuthProvider = () => Promise<HandshakeAuth>;

export type TransportConnectionEvent =
  | { type: 'connected' }
  /** `reason` as socket.io names it ('io server disconnect', 'transport close', 'ping timeout', 'io client disconnect'...). */
  | { type: 'disconnected'; reason: string; willReconnect: boolean }
  /** A refused or failed handshake. `error` is the server's ErrorBody for a refusal, null for a network failure. */
  | { type: 'connect-error'; error: ErrorBody | null; message: string; willRetry: boolean };

export type TransportFailure = 'TIMEOUT' | 'OFFLINE';

/** A request got no acknowledgement: not connected, the connection dropped, or the timeout passed. */
export class TransportRequestError extends Error {
  constructor(
    readonly code: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TransportRequestError';
  }
}

export interface Transport {
  /** Start connecting; keep reconnecting (with backoff) on network failures until disconnect(). */
  connect(auth: HandshakeAuthProvider): void;
  /** Close and stop reconnecting. */
  disconnect(): void;
  /** Drop the current connection (if any) and connect again at once, with the backoff reset. */
  reconnectNow(): void;
  readonly connected: boolean;
  /** Emit with an acknowledgement. Rejects with TransportRequestError when there is none. */
  request(event: ClientEventName, payload: unknown, timeoutMs: number): Promise<unknown>;
  /** `ack` is set when the server expects an acknowledgement of this event (see ACKED_SERVER_EVENTS). */
  on(event: ServerEventName, listener: (payload: unknown, ack?: (response: unknown) => void) => void): () => void;
  onConnection(listener: (event: TransportConnectionEvent) => void): () => void;
}
