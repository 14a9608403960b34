import type { ExtendedError } from 'socket.io';
import type { ServerEventName, ServerPayload } from '../../../shared/protocol';
import type { DeviceDelivery } from '../calls/call-context';
import { SIGNAL_ACK_WAIT_MS } from '../calls/signal-relay';
import type { DeviceDirectory } from '../cluster/device-directory';
import { storageUnavailable } from '../db/storage-failure';
import type { Logger } from '../logger';
import type { ConnectionRegistry } from './connections';
import { deviceRoom, userRoom, type IoServer, type IoSocket } from './socket-types';

type Emitter = { emit(event: string, payload: unknown, ack?: (...args: unknown[]) => void): void };

/** Sent to every node when a device connects: its sockets with a lower generation are replaced. */
export interface DeviceSuperseded {
  userId: string;
  deviceId: string;
  gen: number;
}

/**
 * The gateway's cluster side (cluster profile only): the device directory in Redis, the rooms that
 * reach a device or a user on any node, one socket per (user, device) across nodes, the device cap
 * counted over every node, and the devices of a node that died.
 */
export class ClusterDevices {
  private readonly generations = new WeakMap<IoSocket, number>();
  /** Devices connected on any node, read before the connection handler runs (it is synchronous). */
  private readonly elsewhere = new WeakMap<object, string[]>();

  constructor(
    private readonly io: IoServer,
    private readonly directory: DeviceDirectory,
    private readonly connections: ConnectionRegistry,
    private readonly logger: Logger,
    /** The directory now lists a device of the user (presence read elsewhere may change). */
    private readonly onAttached: (userId: string) => void = () => undefined,
  ) {
    io.on('device:superseded', (notice) => this.superseded(notice));
    directory.onReconnected(() => this.reattachAll());
  }

  /**
   * Redis is back after an outage (perhaps restarted empty): every device connected here is put back
   * in the directory, so invites find it again without waiting for the device to reconnect.
   */
  reattachAll(): void {
    for (const socket of this.io.of('/').sockets.values()) {
      if (this.connections.get(socket.data.user.userId, socket.data.deviceId) === socket) this.connected(socket);
    }
  }

  /** Middleware after the handshake: reads the user's devices on every node for the device cap. */
  readDevices() {
    return (socket: IoSocket, next: (error?: ExtendedError) => void): void => {
      this.directory
        .devicesOf(socket.data.user.userId)
        .then((devices) => {
          this.elsewhere.set(socket, devices);
          next();
        })
        .catch(() => next(Object.assign(new Error('Storage unavailable'), { data: storageUnavailable().toBody() })));
    };
  }

  /** The user's devices connected anywhere when this socket's handshake ran (for the device cap). */
  devicesAtHandshake(socket: IoSocket): string[] {
    return this.elsewhere.get(socket) ?? [];
  }

  /** After the local attach: join the rooms, record the socket in the directory and drop any older socket of the device on any node. */
  connected(socket: IoSocket): void {
    const { user, deviceId } = socket.data;
    void socket.join([userRoom(user.userId), deviceRoom(user.userId, deviceId)]);
    void (async () => {
      const gen = await this.directory.attach(user.userId, deviceId, socket.id);
      this.generations.set(socket, gen);
      this.onAttached(user.userId);
      this.io.serverSideEmit('device:superseded', { userId: user.userId, deviceId, gen });
      // A newer connect elsewhere may have won the race before our notice went out.
      const entry = await this.directory.entryOf(user.userId, deviceId);
      if (entry && entry.gen > gen) this.drop(socket, entry.gen);
    })().catch((error: unknown) => this.logger.warn({ event: 'directory-failed', err: (error as Error).message }, 'device directory update failed'));
  }

  disconnected(socket: IoSocket): void {
    const { user, deviceId } = socket.data;
    this.directory.detach(user.userId, deviceId, socket.id).catch((error: unknown) => this.logger.warn({ event: 'directory-failed', err: (error as Error).message }, 'device directory update failed'));
  }

  /** Delivery through rooms: the local socket when the device is here, else the adapter carries it to its node. */
  delivery(): DeviceDelivery {
    const { io, connections } = this;
    const local = (userId: string, deviceId: string) => connections.get(userId, deviceId) as unknown as Emitter | undefined;
    const room = (name: string) => io.to(name) as unknown as Emitter;
    return {
      toDevice<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>) {
        (local(userId, deviceId) ?? room(deviceRoom(userId, deviceId))).emit(event, payload);
      },
      toDeviceAcked<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>, onAck: () => void) {
        const socket = local(userId, deviceId);
        if (socket) {
          socket.emit(event, payload, onAck);
          return true;
        }
        const remote = io.to(deviceRoom(userId, deviceId)).timeout(SIGNAL_ACK_WAIT_MS) as unknown as Emitter;
        remote.emit(event, payload, (error: unknown, responses: unknown) => {
          if (!error && Array.isArray(responses) && responses.length > 0) onAck();
        });
        return true;
      },
      toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>) {
        room(userRoom(userId)).emit(event, payload);
      },
      onlineDevices: (userId) =>
        this.directory.devicesOf(userId).catch(() => {
          throw storageUnavailable(); // Redis is down: nothing was created, the caller may retry
        }),
      isOnline: async (userId, deviceId) => connections.get(userId, deviceId) !== undefined || (await this.directory.entryOf(userId, deviceId)) !== null,
    };
  }

  /** A dead node's devices: out of the directory; returns them (offline now). */
  sweepNode(nodeId: string): Promise<Array<{ userId: string; deviceId: string }>> {
    return this.directory.sweepNode(nodeId);
  }

  private superseded(notice: DeviceSuperseded): void {
    const socket = this.connections.get(notice.userId, notice.deviceId);
    const gen = socket ? this.generations.get(socket) : undefined;
    if (socket && gen !== undefined && gen < notice.gen) this.drop(socket, notice.gen);
  }

  private drop(socket: IoSocket, newer: number): void {
    this.logger.info({ event: 'device-replaced', userId: socket.data.user.userId, deviceId: socket.data.deviceId, newer }, 'a newer connection of this device on another node replaces this one');
    socket.disconnect(true);
  }
}
