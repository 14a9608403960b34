import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { ErrorBody } from '../protocol';
import type { ClientEventName, ServerEventName } from '../protocol';
import { DEFAULT_BACKOFF } from './backoff';
import { TransportRequestError } from './transport';
import type { HandshakeAuthProvider, Transport, TransportConnectionEvent } from './transport';

export interface SocketIoTransportOptions {
  /** The service's origin, e.g. http://127.0.0.1:4600. */
  url: string;
  /** socket.io-client's exponential backoff with jitter. */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  randomizationFactor?: number;
  /** Default ['websocket']: one long-lived connection, no polling (no sticky sessions needed behind a load balancer). */
  transports?: Array<'websocket' | 'polling'>;
}

/** A Transport over socket.io-client, which is isomorphic: Electron main, browsers, Node tests and the bot. */
export class SocketIoTransport implements Transport {
  private socket: Socket | null = null;
  private readonly connectionListeners = new Set<(event: TransportConnectionEvent) => void>();
  private readonly eventListeners: Array<[string, (payload: unknown, ack?: (response: unknown) => void) => void]> = [];

  constructor(private readonly options: SocketIoTransportOptions) {}

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  connect(auth: HandshakeAuthProvider): void {
    if (this.socket) {
      this.socket.connect();
      return;
    }
    const socket = io(this.options.url, {
      autoConnect: false,
      transports: this.options.transports ?? ['websocket'],
      reconnection: true,
      reconnectionDelay: this.options.reconnectionDelay ?? DEFAULT_BACKOFF.delayMs,
      reconnectionDelayMax: this.options.reconnectionDelayMax ?? DEFAULT_BACKOFF.maxDelayMs,
      randomizationFactor: this.options.randomizationFactor ?? DEFAULT_BACKOFF.jitter,
      auth: (cb) => {
        auth().then(
          (data) => cb(data),
          (error: unknown) => {
            const message = error instanceof Error ? error.message : String(error);
            this.emitConnection({ type: 'connect-error', error: { code: 'UNAUTHORIZED', message: `no token: ${message}` }, message, willRetry: false });
            socket.disconnect();
          },
        );
      },
    });
    this.socket = socket;
    socket.on('connect', () => this.emitConnection({ type: 'connected' }));
    socket.on('disconnect', (reason) => this.emitConnection({ type: 'disconnected', reason, willReconnect: socket.active }));
    socket.on('connect_error', (err: Error & { data?: unknown }) => {
      const body = ErrorBody.safeParse(err.data);
      this.emitConnection({ type: 'connect-error', error: body.success ? body.data : null, message: err.message, willRetry: socket.active });
    });
    for (const [event, listener] of this.eventListeners) socket.on(event, listener);
    socket.connect();
  }

  disconnect(): void {
    this.socket?.disconnect();
  }

  reconnectNow(): void {
    if (!this.socket) return;
    // disconnect() closes the manager (its backoff resets and its pending retry is cancelled); connect() opens at once.
    this.socket.disconnect();
    this.socket.connect();
  }

  /** Fault injection for tests and benchmarks: close the underlying connection as a network failure would. */
  dropConnection(): void {
    this.socket?.io.engine?.close();
  }

  request(event: ClientEventName, payload: unknown, timeoutMs: number): Promise<unknown> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new TransportRequestError('OFFLINE', `not connected: ${event} not sent`));
    return new Promise((resolve, reject) => {
      socket.timeout(timeoutMs).emit(event, payload, (err: Error | null, ack: unknown) => {
        if (!err) return resolve(ack);
        const code = /disconnected/.test(err.message) ? 'OFFLINE' : 'TIMEOUT';
        reject(new TransportRequestError(code, `${event}: ${err.message}`));
      });
    });
  }

  on(event: ServerEventName, listener: (payload: unknown, ack?: (response: unknown) => void) => void): () => void {
    this.eventListeners.push([event, listener]);
    this.socket?.on(event, listener);
    return () => {
      const index = this.eventListeners.findIndex(([e, l]) => e === event && l === listener);
      if (index >= 0) this.eventListeners.splice(index, 1);
      this.socket?.off(event, listener);
    };
  }

  onConnection(listener: (event: TransportConnectionEvent) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  private emitConnection(event: TransportConnectionEvent): void {
    for (const listener of [...this.connectionListeners]) listener(event);
  }
}

export function createSocketIoTransport(options: SocketIoTransportOptions): SocketIoTransport {
  return new SocketIoTransport(options);
}
