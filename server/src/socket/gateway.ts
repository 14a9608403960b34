import type { PresenceStatus, ServerEventName, ServerPayload } from '../../../shared/protocol';
import type { CallHooks } from '../calls/call-hooks';
import type { CallService } from '../calls/call-service';
import type { DeviceDelivery } from '../calls/call-context';
import type { DeviceSessions } from '../calls/device-sessions';
import type { CallsRepo } from '../db/calls-repo';
import type { Logger } from '../logger';
import type { PresenceService } from '../presence/presence-service';
import { bindEvents } from './bind-events';
import type { ConnectionRegistry } from './connections';
import { guardSlowConsumer } from './slow-consumer-guard';
import { presenceRoom, type IoServer, type IoSocket } from './socket-types';

export interface GatewayDeps {
  io: IoServer;
  connections: ConnectionRegistry;
  calls: CallService;
  sessions: DeviceSessions;
  presence: PresenceService;
  repo: CallsRepo;
  hooks: Required<CallHooks>;
  logger: Logger;
}

/** Delivery over the connection registry: emits go to the device's one current socket. */
export function socketDelivery(connections: ConnectionRegistry): DeviceDelivery {
  return {
    toDevice<E extends ServerEventName>(userId: string, deviceId: string, event: E, payload: ServerPayload<E>) {
      const socket = connections.get(userId, deviceId) as unknown as { emit(event: string, payload: unknown): void } | undefined;
      socket?.emit(event, payload);
    },
    toUser<E extends ServerEventName>(userId: string, event: E, payload: ServerPayload<E>) {
      for (const socket of connections.socketsOf(userId)) (socket as unknown as { emit(event: string, payload: unknown): void }).emit(event, payload);
    },
    onlineDevices: (userId) => connections.devicesOf(userId),
    isOnline: (userId, deviceId) => connections.get(userId, deviceId) !== undefined,
  };
}

export function publishPresence(io: IoServer) {
  return (userId: string, status: PresenceStatus) => io.to(presenceRoom(userId)).emit('presence:changed', { userId, status });
}

/** One connection's life: replace an older socket of the device, session:ready, events, disconnect. */
export function handleConnection(deps: GatewayDeps, socket: IoSocket): void {
  const { user, deviceId } = socket.data;
  const actor = { user, deviceId };
  const log = deps.logger.child({ userId: user.userId, deviceId });

  guardSlowConsumer(socket, log);
  const replaced = deps.connections.attach(socket);
  if (replaced) {
    log.info({ event: 'device-replaced' }, 'a newer connection of this device replaces the old one');
    replaced.disconnect(true);
  }
  bindEvents(
    socket,
    {
      'session:ping': () => ({ serverTime: new Date().toISOString() }),
      'call:invite': (input) => deps.calls.invite(actor, input),
      'call:ringing': (input) => deps.calls.ringing(actor, input),
      'call:accept': (input) => deps.calls.accept(actor, input),
      'call:reject': (input) => deps.calls.reject(actor, input),
      'call:cancel': (input) => deps.calls.cancel(actor, input),
      'call:hangup': (input) => deps.calls.hangup(actor, input),
      'call:signal': (input) => deps.calls.signal(actor, input),
      'call:hold': (input) => deps.calls.hold(actor, input),
      'missed:ack': (input) => ({ acknowledged: deps.repo.acknowledgeMissed(user.userId, input.ids) }),
      'presence:subscribe': (input) => {
        for (const room of socket.rooms) if (room.startsWith('presence:')) void socket.leave(room);
        const userIds = [...new Set(input.userIds)];
        for (const userId of userIds) void socket.join(presenceRoom(userId));
        return { presence: userIds.map((userId) => ({ userId, status: deps.presence.statusOf(userId) })) };
      },
      'presence:set': (input) => ({ status: deps.presence.choose(user.userId, input.status) }),
    },
    log,
  );
  socket.on('disconnect', (reason) => {
    if (!deps.connections.detach(socket)) return;
    log.info({ event: 'device-disconnected', reason }, 'disconnected');
    deps.sessions.disconnected(actor);
    deps.presence.refresh(user.userId);
  });

  const calls = deps.sessions.connected(actor);
  const presence = deps.presence.refresh(user.userId);
  socket.emit('session:ready', { user, deviceId, serverTime: new Date().toISOString(), presence, ...calls });
  const missed = deps.repo.unreadMissed(user.userId);
  if (missed.length > 0) socket.emit('missed:calls', { calls: missed });
  deps.sessions.resumed(actor);
  deps.hooks.onDeviceConnected(user.userId, deviceId);
  log.info({ event: 'device-connected', pendingInvites: calls.pendingInvites.length, activeCalls: calls.activeCalls.length }, 'connected');
}
