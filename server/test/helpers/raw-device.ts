import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  serverEvents,
  type Ack,
  type ClientAckResult,
  type ClientEventName,
  type ServerEventName,
  type ServerPayload,
} from '../../../shared/protocol';
import { registerUser } from '../../../test/support/server';
import type { AuthResponse } from '../../../shared/protocol';

type Received = { event: ServerEventName; payload: unknown };

export interface RawDeviceOptions {
  /** Extra handshake auth fields (to test refusals). */
  extraAuth?: Record<string, unknown>;
  /** false: never acknowledge server events that ask for it (a device whose app stopped reading). Default true. */
  acknowledge?: boolean;
}

/** A raw socket.io-client device: records every server event (validated against serverEvents) and acknowledges those that ask. */
export class RawDevice {
  readonly received: Received[] = [];
  /** Acknowledgements this device held back (acknowledge: false), in order. */
  readonly unacknowledged: Array<{ event: string; ack: (response: unknown) => void }> = [];
  private waiters: Array<() => void> = [];

  private constructor(
    readonly socket: Socket,
    readonly deviceId: string,
    acknowledge: boolean,
  ) {
    socket.onAny((event: string, payload: unknown, ...rest: unknown[]) => {
      if (event in serverEvents) {
        const parsed = serverEvents[event as ServerEventName].safeParse(payload);
        if (!parsed.success) throw new Error(`server sent an invalid ${event}: ${parsed.error.message}`);
        this.received.push({ event: event as ServerEventName, payload: parsed.data });
      }
      const ack = rest[rest.length - 1];
      if (typeof ack === 'function') {
        if (acknowledge) (ack as (response: unknown) => void)({});
        else this.unacknowledged.push({ event, ack: ack as (response: unknown) => void });
      }
      this.waiters.forEach((wake) => wake());
    });
  }

  static async connect(url: string, token: string, deviceId: string, options: RawDeviceOptions = {}): Promise<RawDevice> {
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      auth: { token, deviceId, protocolVersion: PROTOCOL_VERSION, ...options.extraAuth },
    });
    const device = new RawDevice(socket, deviceId, options.acknowledge ?? true);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    await device.next('session:ready');
    return device;
  }

  /** Emits with an ack and returns the ack (10 s timeout: a call:signal may wait 5 s for the other device). */
  async request<E extends ClientEventName>(event: E, payload: unknown): Promise<Ack<ClientAckResult<E>>> {
    return (await this.socket.timeout(10_000).emitWithAck(event as string, payload)) as Ack<ClientAckResult<E>>;
  }

  /** Like request, but fails the test unless ok. */
  async ok<E extends ClientEventName>(event: E, payload: unknown): Promise<ClientAckResult<E>> {
    const ack = await this.request(event, payload);
    if (!ack.ok) throw new Error(`${event} refused: ${JSON.stringify(ack.error)}`);
    return ack;
  }

  all<E extends ServerEventName>(event: E, match: (payload: ServerPayload<E>) => boolean = () => true): ServerPayload<E>[] {
    return this.received.filter((r) => r.event === event).map((r) => r.payload as ServerPayload<E>).filter(match);
  }

  /** The first matching event not yet consumed by an earlier next(). */
  private consumed = new Set<Received>();
  async next<E extends ServerEventName>(event: E, match: (payload: ServerPayload<E>) => boolean = () => true, timeoutMs = 10_000): Promise<ServerPayload<E>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((r) => r.event === event && !this.consumed.has(r) && match(r.payload as ServerPayload<E>));
      if (found) {
        this.consumed.add(found);
        return found.payload as ServerPayload<E>;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.deviceId}: no ${event} within ${timeoutMs} ms; got ${JSON.stringify(this.received.map((r) => r.event))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  /** Round-trips a ping: every event the server sent before answering it has arrived. */
  async settle(): Promise<void> {
    await this.ok('session:ping', {});
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Opens a handshake with extra HTTP headers (Origin, Host); resolves 'connected' or the refusal's message. */
export function handshakeWith(url: string, token: string, headers: Record<string, string>): Promise<string> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: headers,
    auth: { token, deviceId: deviceId('headers'), protocolVersion: PROTOCOL_VERSION },
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      socket.disconnect();
      resolve(error.message);
    });
  });
}

/** Refused handshake: resolves with the connect_error data. */
export function connectError(url: string, auth: Record<string, unknown>): Promise<{ message: string; data: unknown }> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, auth });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.disconnect();
      reject(new Error('the handshake was accepted'));
    });
    socket.once('connect_error', (error: Error & { data?: unknown }) => {
      socket.disconnect();
      resolve({ message: error.message, data: error.data });
    });
  });
}

let counter = 0;
/** A fresh user with a unique name. */
export function newUser(url: string, prefix: string): Promise<AuthResponse> {
  counter += 1;
  return registerUser(url, `${prefix}${counter}-${process.pid}`);
}

export const deviceId = (name: string) => `dev-${name}-000`;
