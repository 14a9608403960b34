import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_BACKOFF } from '../../shared/phone';

/** Clients for the two baselines, used by the connection holders and the latency probes. */

export interface ConnectOptions {
  /** Bind the client side to this source address (127.0.0.x) to spread ephemeral ports. */
  localAddress?: string;
  timeoutMs?: number;
  /** Bare relay: reconnect automatically with socket.io-client's backoff (reconnect storm). */
  reconnect?: boolean;
  /** PeerJS: called for every heartbeat the client sends. */
  onHeartbeat?: () => void;
}

/** socket.io-client backoff for the reconnect storm: PhoneCore's defaults, used by the bare relay's clients too. */
export const STORM_BACKOFF = {
  reconnectionDelay: DEFAULT_BACKOFF.delayMs,
  reconnectionDelayMax: DEFAULT_BACKOFF.maxDelayMs,
  randomizationFactor: DEFAULT_BACKOFF.jitter,
} as const;

/** socket.io-client options every bench client uses (ours and the bare relay's alike). */
export function benchSocketOptions(auth: Record<string, unknown>, options: ConnectOptions) {
  return {
    auth,
    transports: ['websocket'],
    reconnection: options.reconnect ?? false,
    ...STORM_BACKOFF,
    timeout: options.timeoutMs ?? 20_000,
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  };
}

/** A socket.io client of the bare relay, named `name`. Resolves once connected. */
export function connectBareRelay(url: string, name: string, options: ConnectOptions = {}): Promise<Socket> {
  const socket = io(url, benchSocketOptions({ name }, options));
  return new Promise((resolve, reject) => {
    // Only the first connect may fail the promise: left registered, this would close the socket at the
    // first failed reconnect attempt of a storm, and that client would never come back.
    const failed = (error: Error) => {
      socket.close();
      reject(error);
    };
    socket.once('connect', () => {
      socket.off('connect_error', failed);
      resolve(socket);
    });
    socket.once('connect_error', failed);
  });
}

export const PEERJS_HEARTBEAT_MS = 25_000;

export interface PeerJsClient {
  socket: WebSocket;
  send(dst: string, payload: unknown): void;
  close(): void;
}

/**
 * A PeerJS signalling client speaking the peerjs protocol over `ws`: it waits for the server's OPEN and
 * sends HEARTBEAT messages. (The peerjs browser client sends them every 5 s; the bench uses 25 s, the
 * same cadence as socket.io's ping, so idle load is comparable.)
 */
export function connectPeerJs(port: number, id: string, options: ConnectOptions = {}): Promise<PeerJsClient> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/peerjs?key=peerjs&id=${encodeURIComponent(id)}&token=${id}-token`, {
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    handshakeTimeout: options.timeoutMs ?? 20_000,
  });
  let heartbeat: NodeJS.Timeout | undefined;
  const client: PeerJsClient = {
    socket,
    send(dst, payload) {
      socket.send(JSON.stringify({ type: 'OFFER', dst, payload }));
    },
    close() {
      clearInterval(heartbeat);
      socket.close();
    },
  };
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { type: string; payload?: unknown };
      if (message.type === 'OPEN') {
        socket.off('message', onMessage);
        heartbeat = setInterval(() => {
          socket.send(JSON.stringify({ type: 'HEARTBEAT' }));
          options.onHeartbeat?.();
        }, PEERJS_HEARTBEAT_MS);
        heartbeat.unref();
        socket.on('close', () => clearInterval(heartbeat));
        resolve(client);
      } else {
        socket.close();
        reject(new Error(`PeerJS refused ${id}: ${JSON.stringify(message)}`));
      }
    };
    socket.on('message', onMessage);
    socket.once('error', reject);
  });
}
