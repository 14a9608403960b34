import type { CallOutcome, EndReason, HistoryResponse, ServerEventName, ServerPayload } from '../../../shared/protocol';
import { isLineCapable } from '../lines/line-version';
import type { IoSocket } from './socket-types';

/**
 * The one place that maps what the server sends down to what an older client (protocol before 1.3) understands
 * (design D18): events it does not know are not sent, the end reason `transferred` arrives as `hangup`, the outcome
 * `abandoned` as `cancelled`. Every emit to a device goes through `emitToSocket` or `emitToRooms`; the history
 * page (HTTP) through `legacyHistory`.
 */

/** Server events added in 1.3: an older client is not sent them. */
const ADDED_IN_1_3: ReadonlySet<ServerEventName> = new Set<ServerEventName>(['transfer:updated', 'call:replaced', 'call:queued', 'call:conference', 'agent:status', 'line:queue-status', 'line:view']);

/** Sockets join one of these at connect, so a room broadcast can send each kind its own payload (on every node). */
export const LEGACY_ROOM = 'protocol:legacy';
export const CURRENT_ROOM = 'protocol:current';

export const isLegacyClient = (version: string | undefined): boolean => !isLineCapable(version);

export const legacyEndReason = (reason: EndReason): EndReason => (reason === 'transferred' ? 'hangup' : reason);
export const legacyOutcome = (outcome: CallOutcome): CallOutcome => (outcome === 'abandoned' ? 'cancelled' : outcome);

/** The payload an older client gets for `event`: the same object when nothing changes, null when it is not sent. */
export function forLegacy<E extends ServerEventName>(event: E, payload: ServerPayload<E>): ServerPayload<E> | null {
  if (ADDED_IN_1_3.has(event)) return null;
  if (event === 'call:ended') {
    const ended = payload as ServerPayload<'call:ended'>;
    return ended.reason === 'transferred' ? ({ ...ended, reason: legacyEndReason(ended.reason) } as ServerPayload<E>) : payload;
  }
  if (event === 'missed:calls') {
    const { calls } = payload as ServerPayload<'missed:calls'>;
    if (!calls.some((missed) => missed.reason === 'transferred')) return payload;
    return { calls: calls.map((missed) => ({ ...missed, reason: legacyEndReason(missed.reason) })) } as ServerPayload<E>;
  }
  return payload;
}

/** A history page for an older app: the outcome `abandoned` reads `cancelled`, the end reason `transferred` `hangup`. */
export function legacyHistory(page: HistoryResponse): HistoryResponse {
  return {
    ...page,
    calls: page.calls.map((entry) => ({ ...entry, outcome: legacyOutcome(entry.outcome), endReason: entry.endReason && legacyEndReason(entry.endReason) })),
  };
}

/** What a client speaking `version` gets for `event` (null: not sent). */
export function forClient<E extends ServerEventName>(version: string | undefined, event: E, payload: ServerPayload<E>): ServerPayload<E> | null {
  return isLegacyClient(version) ? forLegacy(event, payload) : payload;
}

/** At connect: the socket joins the room of its protocol kind (used by `emitToRooms`). */
export function joinProtocolRoom(socket: IoSocket): void {
  void socket.join(isLegacyClient(socket.data.protocolVersion) ? LEGACY_ROOM : CURRENT_ROOM);
}

type Emitter = { emit(event: string, payload: unknown, ack?: (...args: unknown[]) => void): unknown };
/** A socket.io broadcast operator (io.to(rooms), perhaps with a timeout), seen loosely. */
export type Broadcast = Emitter & { except(room: string): Broadcast };

/** Emits to one socket in its own protocol version. False when the event is not sent to it. */
export function emitToSocket<E extends ServerEventName>(socket: IoSocket, event: E, payload: ServerPayload<E>, ack?: (...args: unknown[]) => void): boolean {
  const mapped = forClient(socket.data.protocolVersion, event, payload);
  if (mapped === null) return false;
  const emitter = socket as unknown as Emitter;
  if (ack) emitter.emit(event, mapped, ack);
  else emitter.emit(event, mapped);
  return true;
}

/** Emits to rooms (on any node): current clients get the payload, older ones theirs (or nothing). */
export function emitToRooms<E extends ServerEventName>(target: Broadcast, event: E, payload: ServerPayload<E>, ack?: (...args: unknown[]) => void): void {
  const legacy = forLegacy(event, payload);
  const send = (to: Broadcast, body: unknown) => (ack ? to.emit(event, body, ack) : to.emit(event, body));
  if (legacy === payload) {
    send(target, payload);
    return;
  }
  send(target.except(LEGACY_ROOM), payload);
  if (legacy !== null) send(target.except(CURRENT_ROOM), legacy);
}
