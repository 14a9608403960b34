import type { ErrorBody, PresenceStatus, ServerEventName, ServerPayload } from '../../../shared/protocol';
import type { CombinedHooks } from '../calls/call-hooks';
import type { CallService } from '../calls/call-service';
import type { DeviceDelivery } from '../calls/call-context';
import type { DeviceSessions } from '../calls/device-sessions';
import type { CallsRepo } from '../db/calls-repo';
import type { Logger } from '../logger';
import { NO_LINE_SESSION, type LineService } from '../lines/line-service';
import type { QueueService } from '../lines/queue-service';
import type { PresenceService } from '../presence/presence-service';
import type { TransferService } from '../transfers/transfer-service';
import { bindEvents, type EventHandlers } from './bind-events';
import type { ClusterDevices } from './cluster-devices';
import type { ConnectionRegistry } from './connections';
import { lastSeenAt, trackLastSeen } from './last-seen';
import { emitToRooms, emitToSocket, joinProtocolRoom, type Broadcast } from './legacy-payloads';
import { closeSession, type SessionLifetime } from './session-lifetime';
import { guardSlowConsumer } from './slow-consumer-guard';
import { batchWritesPerTick } from './tick-writes';
import { presenceRoom, userRoom, type IoServer, type IoSocket } from './socket-types';

export interface GatewayDeps {
  connections: ConnectionRegistry;
  calls: CallService;
  transfers: TransferService;
  sessions: DeviceSessions;
  presence: PresenceService;
  lines: LineService;
  /** Queue entries (line calls not answered yet): call:ringing/accept/reject/cancel on them go here. */
  queue: QueueService;
  repo: CallsRepo;
  hooks: CombinedHooks;
  lifetime: SessionLifetime;
  maxDevicesPerUser: number;
  logger: Logger;
  /** Cluster profile: the devices on every node (directory, rooms, one socket per device across nodes); null in the single profile. */
  cluster: ClusterDevices | null;
}

/** A failed read of a connecting device's unread missed calls is tried again after 1 s, doubling up to 10 s. */
const MISSED_RETRY_FIRST_MS = 1_000;
const MISSED_RETRY_MAX_MS = 10_000;

/** Delivery over the connection registry: emits go to the device's one current socket. */
export function socketDelivery(connections: ConnectionRegistry): DeviceDelivery {
  return {
    toDevice<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>) {
      const socket = connections.get(userId, deviceId);
      if (socket) emitToSocket(socket, event, payload);
    },
    toDeviceAcked<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>, onAck: () => void) {
      const socket = connections.get(userId, deviceId);
      if (socket) emitToSocket(socket, event, payload, onAck);
      return socket !== undefined;
    },
    toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>) {
      for (const socket of connections.socketsOf(userId)) emitToSocket(socket, event, payload);
    },
    onlineDevices: (userId) => connections.devicesOf(userId),
    isOnline: (userId, deviceId) => connections.get(userId, deviceId) !== undefined,
  };
}

/** To the user's subscribers and to the user's own devices: a status chosen on one device shows on all of them. */
export function publishPresence(io: IoServer) {
  return (userId: string, status: PresenceStatus) => emitToRooms(io.to([presenceRoom(userId), userRoom(userId)]) as unknown as Broadcast, 'presence:changed', { userId, status });
}

/** The client events, answered for whichever socket asks (its session data is the actor). */
function eventHandlers(deps: GatewayDeps): EventHandlers {
  const { calls, presence, repo, lines, queue } = deps;
  return {
    'session:ping': () => ({ serverTime: new Date().toISOString() }),
    'session:renew': (socket, input) => deps.lifetime.renew(socket, input.token),
    'call:invite': (socket, input) => calls.invite(socket.data, input),
    'call:ringing': async (socket, input) => ((await queue.handles(input.callId, socket.data)) ? queue.ringing(socket.data, input.callId) : calls.ringing(socket.data, input)),
    'call:accept': async (socket, input) => ((await queue.handles(input.callId, socket.data)) ? queue.accept(socket.data, input.callId) : calls.accept(socket.data, input)),
    'call:reject': async (socket, input) => ((await queue.handles(input.callId, socket.data)) ? queue.reject(socket.data, input.callId) : calls.reject(socket.data, input)),
    'call:cancel': async (socket, input) => ((await queue.handles(input.callId, socket.data)) ? queue.cancel(socket.data, input.callId) : calls.cancel(socket.data, input)),
    'call:hangup': (socket, input) => calls.hangup(socket.data, input),
    'call:signal': (socket, input) => calls.signal(socket.data, input),
    'call:hold': (socket, input) => calls.hold(socket.data, input),
    'call:mute': (socket, input) => calls.mute(socket.data, input),
    'missed:ack': async (socket, input) => ({ acknowledged: await repo.acknowledgeMissed(socket.data.user.userId, input.ids) }),
    'presence:subscribe': async (socket, input) => {
      for (const room of socket.rooms) if (room.startsWith('presence:')) void socket.leave(room);
      const userIds = [...new Set(input.userIds)];
      for (const userId of userIds) void socket.join(presenceRoom(userId));
      const statuses = await presence.statusesOf(userIds);
      return { presence: userIds.map((userId, index) => ({ userId, status: statuses[index]! })) };
    },
    'presence:set': async (socket, input) => ({ status: await lines.setPresence(socket.data.user, input.status, input.reason) }),
    'wrapup:save': (socket, input) => lines.wrapUpSave(socket.data.user, input),
    'wrapup:done': (socket, input) => lines.wrapUpDone(socket.data.user, input),
    'line:watch': (socket, input) => lines.watch(socket, input.lineIds),
    'call:transfer': (socket, input) => deps.transfers.start(socket.data, input),
    'transfer:swap': (socket, input) => deps.transfers.swap(socket.data, input),
    'transfer:merge': (socket, input) => deps.transfers.merge(socket.data, input),
    'transfer:complete': (socket, input) => deps.transfers.complete(socket.data, input),
    'transfer:cancel': (socket, input) => deps.transfers.cancel(socket.data, input),
  };
}

/**
 * Returns the connection handler: one connection's life (the device cap, replace an older socket of
 * the device, session:ready, events, token expiry, disconnect). What does not depend on the socket
 * is built once, here, so an idle connection holds only its own state.
 */
export function createGateway(deps: GatewayDeps): (socket: IoSocket) => void {
  const handlers = eventHandlers(deps);
  const logOf = (socket: IoSocket) => deps.logger.child({ userId: socket.data.user.userId, deviceId: socket.data.deviceId });

  function disconnected(socket: IoSocket, reason: string): void {
    deps.lifetime.disarm(socket);
    deps.cluster?.disconnected(socket);
    if (!deps.connections.detach(socket)) return;
    logOf(socket).info({ event: 'device-disconnected', reason }, 'disconnected');
    deps.sessions.disconnected(socket.data, lastSeenAt(socket));
    deps.presence.refresh(socket.data.user.userId);
    void lineDeviceGone(socket);
  }

  /** A queued caller's device left: its place is kept for the resume grace. An agent's last device left: its offer goes to the next agent. */
  async function lineDeviceGone(socket: IoSocket): Promise<void> {
    const { user, deviceId } = socket.data;
    try {
      await deps.queue.callerGone(user.userId, deviceId, lastSeenAt(socket));
      if (deps.connections.devicesOf(user.userId).length === 0) {
        await deps.queue.withdrawOffersOf(user.userId);
        await deps.lines.pushAgentStatus(user.userId);
      }
    } catch (error) {
      logOf(socket).warn({ event: 'line-disconnect-failed', err: error }, 'line clean-up after a disconnect failed');
    }
  }

  /** A waiting caller's device is back (its session:ready listed its queued calls): they are no longer away. */
  async function lineCallerBack(socket: IoSocket): Promise<void> {
    await deps.queue.callerBack(socket.data.user.userId, socket.data.deviceId).catch((error: unknown) => logOf(socket).warn({ event: 'line-caller-back-failed', err: error }, 'could not mark a waiting caller back'));
  }

  /** A new device (not a reconnect of a connected one) over the cap is refused before it counts anywhere. */
  function overDeviceCap(socket: IoSocket): boolean {
    const { user, deviceId } = socket.data;
    if (deps.connections.get(user.userId, deviceId)) return false;
    // Cluster: the directory admitted or refused the device at the handshake, counting every node, in one step.
    const connected = deps.cluster ? deps.cluster.refusedWith(socket) : deps.connections.devicesOf(user.userId).length;
    if (connected === null || connected < deps.maxDevicesPerUser) return false;
    logOf(socket).warn({ event: 'too-many-devices', connected }, 'device refused: the user has too many devices connected');
    const error: ErrorBody = { code: 'TOO_MANY_DEVICES', message: `At most ${deps.maxDevicesPerUser} devices can be connected at once; disconnect one first` };
    closeSession(socket, error);
    return true;
  }

  return (socket) => {
    const { user, deviceId } = socket.data;
    if (overDeviceCap(socket)) return;
    guardSlowConsumer(socket, () => logOf(socket));
    batchWritesPerTick(socket);
    trackLastSeen(socket);
    const replaced = deps.connections.attach(socket);
    void socket.join(userRoom(user.userId)); // what every device of the user hears (its own presence)
    joinProtocolRoom(socket);
    if (replaced) {
      logOf(socket).info({ event: 'device-replaced' }, 'a newer connection of this device replaces the old one');
      replaced.disconnect(true);
    }
    deps.cluster?.connected(socket);
    bindEvents(socket, handlers, deps.logger);
    socket.on('disconnect', (reason) => disconnected(socket, reason));
    deps.lifetime.attach(socket);

    const calls = deps.sessions.connected(socket.data);
    const presence = deps.presence.refresh(user.userId);
    const accessTokenExpiresAt = new Date(socket.data.tokenExpiresAt).toISOString();
    const lineSession = socket.data.lineSession ?? NO_LINE_SESSION;
    emitToSocket(socket, 'session:ready', { user, deviceId, serverTime: new Date().toISOString(), accessTokenExpiresAt, presence, ...calls, transfers: [], ...lineSession });
    void deps.sessions.resumed(socket.data);
    if (lineSession.queuedCalls.length > 0) void lineCallerBack(socket);
    deps.hooks.onDeviceConnected(user.userId, deviceId);
    logOf(socket).info({ event: 'device-connected', pendingInvites: calls.pendingInvites.length, activeCalls: calls.activeCalls.length }, 'connected');
    // Open transfers this device started follow session:ready as transfer:updated (a read), so its consult panel comes back.
    deps.transfers.openViewsOf(socket.data).then(
      (views) => views.forEach((view) => socket.connected && emitToSocket(socket, 'transfer:updated', view)),
      (error: unknown) => logOf(socket).warn({ event: 'open-transfers-unread', err: error }, 'could not read the open transfers for a connecting device'),
    );
    sendUnreadMissed(socket, 0);
  };

  /**
   * The unread missed calls follow session:ready (a read: the connection does not wait for it). A read that
   * fails (the store is down, or its pool is saturated by a reconnect storm) is tried again while the socket
   * is connected: the device must not go without its missed calls until its next reconnect.
   */
  function sendUnreadMissed(socket: IoSocket, attempt: number): void {
    deps.repo.unreadMissed(socket.data.user.userId).then(
      (missed) => {
        if (missed.length > 0 && socket.connected) emitToSocket(socket, 'missed:calls', { calls: missed });
      },
      (error: unknown) => {
        const retryInMs = Math.min(MISSED_RETRY_FIRST_MS * 2 ** attempt, MISSED_RETRY_MAX_MS);
        logOf(socket).warn({ event: 'missed-calls-unread', err: error, retryInMs }, 'could not read the missed calls for a connecting device; trying again');
        setTimeout(() => {
          if (socket.connected) sendUnreadMissed(socket, attempt + 1);
        }, retryInMs).unref();
      },
    );
  }
}
