import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/protocol';
import { benchSocketOptions, type ConnectOptions } from './baseline-clients';

export type OurSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface OurConnectOptions extends ConnectOptions {
  /** Let socket.io-client reconnect by itself (exponential backoff with jitter). Default: no. */
  reconnect?: boolean;
}

/**
 * A bare authenticated connection to our server speaking the wire protocol directly: used for the idle
 * connections of the capacity benchmark (PhoneCore adds nothing to an idle socket). Resolves once the
 * server has sent `session:ready`, i.e. once the device is registered.
 */
export function connectOurs(url: string, token: string, deviceId: string, options: OurConnectOptions = {}): Promise<OurSocket> {
  const socket: OurSocket = io(url, benchSocketOptions({ token, deviceId, protocolVersion: PROTOCOL_VERSION }, options));
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => resolve(socket));
    socket.once('connect_error', (error) => {
      if (options.reconnect) return; // socket.io-client retries by itself
      socket.close();
      reject(new Error(`connect_error for ${deviceId}: ${error.message} ${JSON.stringify((error as { data?: unknown }).data ?? null)}`));
    });
  });
}
