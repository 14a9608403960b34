import type { ExtendedError } from 'socket.io';
import type { ServerEventName, ServerPayload } from '../../../shared/protocol';
import type { DeviceDelivery } from '../calls/call-context';
import { SIGNAL_ACK_WAIT_MS } from '../calls/signal-relay';
import type { DeviceDirectory } from '../cluster/device-directory';
import { storageUnavailable } from '../db/storage-failure';
import type { Logger } from '../logger';
import type { ConnectionRegistry } from './connections';
import { emitToRooms, emitToSocket, type Broadcast } from './legacy-payloads';
import { deviceRoom, userRoom, type IoServer, type IoSocket } from './socket-types';

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
  /** Sockets the directory refused (the user's devices connected anywhere at that moment). */
  private readonly refusals = new WeakMap<IoSocket, number>();
  /** Admitted sockets the gateway took (their disconnect leaves the directory through it). */
  private readonly reached = new WeakSet<IoSocket>();

  constructor(
    private readonly io: IoServer,
    private readonly directory: DeviceDirectory,
    private readonly connections: ConnectionRegistry,
    private readonly logger: Logger,
    private readonly maxDevicesPerUser: number,
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
      if (this.connections.get(socket.data.user.userId, socket.data.deviceId) !== socket) continue;
      this.directory
        .attach(socket.data.user.userId, socket.data.deviceId, socket.id)
        .then((gen) => this.announce(socket, gen))
        .catch((error: unknown) => this.logger.warn({ event: 'directory-failed', err: (error as Error).message }, 'device directory update failed'));
    }
  }

  /**
   * Middleware after the handshake: the device takes its place in the directory, under the device cap
   * counted over every node, in one step (two nodes cannot both admit the last place). A refused socket is
   * closed by the gateway (TOO_MANY_DEVICES) before it counts anywhere.
   */
  admit() {
    return (socket: IoSocket, next: (error?: ExtendedError) => void): void => {
      const { user, deviceId } = socket.data;
      this.directory
        .attach(user.userId, deviceId, socket.id, this.maxDevicesPerUser)
        .then((gen) => {
          if (gen < 0) this.refusals.set(socket, -gen);
          else {
            this.generations.set(socket, gen);
            // A socket that never reaches the gateway (it closed meanwhile) leaves no entry behind.
            socket.conn.once('close', () => {
              if (!this.reached.has(socket)) this.disconnected(socket);
            });
          }
          next();
        })
        .catch(() => next(Object.assign(new Error('Storage unavailable'), { data: storageUnavailable().toBody() })));
    };
  }

  /** The number of the user's devices connected anywhere when the directory refused this socket; null if admitted. */
  refusedWith(socket: IoSocket): number | null {
    return this.refusals.get(socket) ?? null;
  }

  /** After the local attach: join the rooms and drop any older socket of the device on any node. */
  connected(socket: IoSocket): void {
    const { user, deviceId } = socket.data;
    this.reached.add(socket);
    void socket.join([userRoom(user.userId), deviceRoom(user.userId, deviceId)]);
    const gen = this.generations.get(socket);
    if (gen !== undefined) this.announce(socket, gen).catch((error: unknown) => this.logger.warn({ event: 'directory-failed', err: (error as Error).message }, 'device directory update failed'));
  }

  /** Every node drops a socket of the device older than `gen`; this one goes if a newer connect elsewhere won the race. */
  private async announce(socket: IoSocket, gen: number): Promise<void> {
    const { user, deviceId } = socket.data;
    this.generations.set(socket, gen);
    this.onAttached(user.userId);
    this.io.serverSideEmit('device:superseded', { userId: user.userId, deviceId, gen });
    const entry = await this.directory.entryOf(user.userId, deviceId);
    if (entry && entry.gen > gen) this.drop(socket, entry.gen);
  }

  disconnected(socket: IoSocket): void {
    const { user, deviceId } = socket.data;
    this.directory.detach(user.userId, deviceId, socket.id).catch((error: unknown) => this.logger.warn({ event: 'directory-failed', err: (error as Error).message }, 'device directory update failed'));
  }

  /** Delivery through rooms: the local socket when the device is here, else the adapter carries it to its node. */
  delivery(): DeviceDelivery {
    const { io, connections } = this;
    const room = (name: string) => io.to(name) as unknown as Broadcast;
    return {
      toDevice<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>) {
        const socket = connections.get(userId, deviceId);
        if (socket) emitToSocket(socket, event, payload);
        else emitToRooms(room(deviceRoom(userId, deviceId)), event, payload);
      },
      toDeviceAcked<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>, onAck: () => void) {
        const socket = connections.get(userId, deviceId);
        if (socket) {
          emitToSocket(socket, event, payload, onAck);
          return true;
        }
        const remote = io.to(deviceRoom(userId, deviceId)).timeout(SIGNAL_ACK_WAIT_MS) as unknown as Broadcast;
        emitToRooms(remote, event, payload, (error: unknown, responses: unknown) => {
          if (!error && Array.isArray(responses) && responses.length > 0) onAck();
        });
        return true;
      },
      toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>) {
        emitToRooms(room(userRoom(userId)), event, payload);
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
