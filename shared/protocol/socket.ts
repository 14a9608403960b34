import { z } from 'zod';
import { ErrorBody } from './errors';
import {
  CallId,
  DeviceId,
  EndReason,
  LineRef,
  Media,
  MissedCall,
  PresenceStatus,
  RejectReason,
  SignalData,
  UserId,
  UserIdentity,
  Username,
} from './entities';
import { CallContext, ConferenceView, TransferView, transferAcks, transferClientEvents } from './transfers';
import {
  AgentStatus,
  LineQueueStatusEvent,
  LineView,
  LineWatchPayload,
  PresenceSetPayload,
  QueuedCall,
  QueuedWhy,
  QueueStatus,
  Role,
  WrapUpDonePayload,
  WrapUpSavePayload,
  WrapUpTask,
} from './lines';

/** The socket.io handshake `auth` field. The token never travels in the URL. */
export const HandshakeAuth = z.object({
  token: z.string().min(1).max(4_096),
  deviceId: DeviceId,
  protocolVersion: z.string().max(32),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

// ---------------------------------------------------------------------------------------------
// Client -> server: every event carries one payload and an acknowledgement callback.
// ---------------------------------------------------------------------------------------------

export const clientEvents = {
  /** Re-verify the connection at once (after wake or a network change). */
  'session:ping': z.object({}).strict(),
  /** Hand the server a fresh access token of the same session, so the connection outlives the old one's expiry. */
  'session:renew': z.object({ token: z.string().min(1).max(4_096) }).strict(),
  /** Start a call. The server resolves `to` to a user (delivered to every online device) or to a service line (queued). */
  'call:invite': z.object({ to: Username, media: Media }).strict(),
  /** A callee device reports that it rings (silently under DND ring-silent). */
  'call:ringing': z.object({ callId: CallId, silent: z.boolean().default(false) }).strict(),
  /** A callee device answers. The first accept wins. */
  'call:accept': z.object({ callId: CallId }).strict(),
  /** A callee device declines. `busy`, `dnd` and `blocked` decline for every device of the user. */
  'call:reject': z.object({ callId: CallId, reason: RejectReason.default('declined') }).strict(),
  /** The caller gives up before an answer. */
  'call:cancel': z.object({ callId: CallId }).strict(),
  /**
   * Either side ends an answered call. `mediaLastSeenAt` (server time): when this device last had media
   * from the other side, if earlier than now (a media-failed hang-up comes after the recovery window):
   * the recorded talk time ends there.
   */
  'call:hangup': z.object({ callId: CallId, reason: z.enum(['hangup', 'media-failed']).default('hangup'), mediaLastSeenAt: z.string().datetime().optional() }).strict(),
  /** WebRTC signalling for an answered call, relayed to the other side's one device. */
  'call:signal': z.object({ callId: CallId, data: SignalData }).strict(),
  /** Put the call on hold or resume it; the other side is told. */
  'call:hold': z.object({ callId: CallId, held: z.boolean() }).strict(),
  /** This side muted or unmuted its microphone; the other side is told (its screen says so). */
  'call:mute': z.object({ callId: CallId, muted: z.boolean() }).strict(),
  /** Mark delivered missed calls as read: they are not delivered again. */
  'missed:ack': z.object({ ids: z.array(z.string().uuid()).min(1).max(500) }).strict(),
  /** Replace the set of users whose presence changes this socket receives (the directory view, favourites). */
  'presence:subscribe': z.object({ userIds: z.array(UserId).max(500) }).strict(),
  /** Set this user's chosen presence, with a reason for `away` (agents). `busy` and `offline` are derived by the server. */
  'presence:set': PresenceSetPayload,
  ...transferClientEvents,
  /** An agent saves the notes, outcome code and tags of one of its wrap-ups (editable for 24 h). */
  'wrapup:save': WrapUpSavePayload,
  /** An agent ends its running wrap-up (optionally saving the draft given with it). */
  'wrapup:done': WrapUpDonePayload,
  /** A supervisor replaces the set of lines this socket watches (`line:view` snapshots); `[]` stops. */
  'line:watch': LineWatchPayload,
} as const;
export type ClientEventName = keyof typeof clientEvents;
export type ClientPayload<E extends ClientEventName> = z.input<(typeof clientEvents)[E]>;
export type ParsedClientPayload<E extends ClientEventName> = z.output<(typeof clientEvents)[E]>;

/** Successful acknowledgement results, per client event. */
export const clientAcks = {
  'session:ping': z.object({ serverTime: z.string().datetime() }),
  'session:renew': z.object({ accessTokenExpiresAt: z.string().datetime() }),
  'call:invite': z.object({
    callId: CallId,
    /**
     * `ringing`: delivered to at least one device (or a pushed phone); `unavailable`: the call already ended;
     * `queued`: `to` is a service line and the call waits for an agent (`line`, `queue` are set).
     */
    status: z.enum(['ringing', 'unavailable', 'queued']),
    /** Number of devices the invite was delivered to. */
    devices: z.number().int().nonnegative(),
    callee: UserIdentity,
    /** When the server ends the ring (server time); for `queued`, the latest moment the wait can end. */
    ringUntil: z.string().datetime(),
    /** The line the call waits in (`queued` only). */
    line: LineRef.optional(),
    queue: QueueStatus.optional(),
  }),
  'call:ringing': z.object({}),
  'call:accept': z.object({
    caller: UserIdentity,
    /** False when the caller's device is disconnected right now (within its resume grace); `call:peer-connection` follows when it returns. */
    peerConnected: z.boolean().default(true),
  }),
  'call:reject': z.object({}),
  'call:cancel': z.object({}),
  'call:hangup': z.object({}),
  /** `delivered`: the other device acknowledged it; false: kept and delivered (again) when that device is back. */
  'call:signal': z.object({ delivered: z.boolean() }),
  'call:hold': z.object({}),
  'call:mute': z.object({}),
  'missed:ack': z.object({ acknowledged: z.number().int().nonnegative() }),
  'presence:subscribe': z.object({ presence: z.array(z.object({ userId: UserId, status: PresenceStatus })) }),
  'presence:set': z.object({ status: PresenceStatus }),
  ...transferAcks,
  'wrapup:save': z.object({ wrapUp: WrapUpTask }),
  'wrapup:done': z.object({ agent: AgentStatus }),
  'line:watch': z.object({ views: z.array(LineView) }),
} as const satisfies Record<ClientEventName, z.ZodType>;
export type ClientAckResult<E extends ClientEventName> = z.infer<(typeof clientAcks)[E]>;

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
const ErrorAck = z.object({ ok: z.literal(false), error: ErrorBody });
function buildAckSchema<E extends ClientEventName>(event: E) {
  return z.union([clientAcks[event].extend({ ok: z.literal(true) }), ErrorAck]);
}
/** Built once per event: a zod schema compiles on its first parse, so building one per request is slow. */
const ackSchemas = Object.fromEntries(Object.keys(clientAcks).map((event) => [event, buildAckSchema(event as ClientEventName)])) as {
  [E in ClientEventName]: ReturnType<typeof buildAckSchema<E>>;
};
export function ackSchema<E extends ClientEventName>(event: E): (typeof ackSchemas)[E] {
  return ackSchemas[event];
}

// ---------------------------------------------------------------------------------------------
// Server -> client.
// ---------------------------------------------------------------------------------------------

export const IncomingCall = z.object({
  callId: CallId,
  from: UserIdentity,
  media: Media,
  startedAt: z.string().datetime(),
  /** When the server ends the ring (the ring timeout; for a line call, the offer timeout). */
  ringUntil: z.string().datetime(),
  /** A transfer or consult leg: who transfers, and for whom (1.3). */
  context: CallContext.optional(),
  /** Set when this is a call to a service line offered to this agent. */
  line: LineRef.optional(),
});
export type IncomingCall = z.infer<typeof IncomingCall>;

/** A call of this device that is answered and still up, as the server knows it (sent on every (re)connect). */
export const ActiveCall = z.object({
  callId: CallId,
  peer: UserIdentity,
  peerDeviceId: DeviceId.nullable(),
  role: z.enum(['caller', 'callee']),
  media: Media,
  answeredAt: z.string().datetime(),
  held: z.boolean(),
  /** The other side has the call on hold (servers before 1.1 do not say: false). */
  peerHeld: z.boolean().default(false),
  /** The other side's microphone is muted (servers before 1.1 do not say: false). */
  peerMuted: z.boolean().default(false),
  /** True when the other side's signalling is currently connected. */
  peerConnected: z.boolean(),
  /** The first call of the conversation this call belongs to (1.3; absent: the call itself). */
  conversationId: CallId.optional(),
  /** This call replaced a transferred one: who transferred it (1.3). */
  transferredBy: UserIdentity.optional(),
  /** A three-way call this call is part of (1.3). */
  conference: ConferenceView.optional(),
});
export type ActiveCall = z.infer<typeof ActiveCall>;

/** An outgoing call of this device that has not been answered yet. */
export const OutgoingCall = z.object({
  callId: CallId,
  callee: UserIdentity,
  media: Media,
  startedAt: z.string().datetime(),
  ringing: z.boolean(),
  /** When the server ends the ring (server time). */
  ringUntil: z.string().datetime(),
});
export type OutgoingCall = z.infer<typeof OutgoingCall>;

export const serverEvents = {
  /** Sent once after every (re)connect: the server's view of this device. The client reconciles with it. */
  'session:ready': z.object({
    user: UserIdentity,
    deviceId: DeviceId,
    serverTime: z.string().datetime(),
    /** When the access token this connection was opened (or last renewed) with expires: renew before, or the server closes it. */
    accessTokenExpiresAt: z.string().datetime(),
    presence: PresenceStatus,
    /** Calls ringing for this user right now, including ones invited before this device connected. */
    pendingInvites: z.array(IncomingCall),
    outgoingCalls: z.array(OutgoingCall),
    activeCalls: z.array(ActiveCall),
    /** Open transfers this device started (1.3; older servers: none). */
    transfers: z.array(TransferView).default([]),
    /** This user's roles (servers before 1.3 do not say: none). */
    roles: z.array(Role).default([]),
    /** This user's agent state when it is a member of a line, else null. */
    agent: AgentStatus.nullable().default(null),
    /** Calls of this device waiting in a line. */
    queuedCalls: z.array(QueuedCall).default([]),
  }),
  /** The server is going away (SIGTERM). Reconnect after the delay. */
  'session:shutdown': z.object({ reconnectAfterMs: z.number().int().nonnegative() }),
  /**
   * The server closes this connection right after, for `error.code`: TOKEN_EXPIRED (the access token
   * expired and was not renewed: refresh and reconnect), UNAUTHORIZED (the session was revoked: sign in
   * again), TOO_MANY_DEVICES (the user has too many devices connected: retry later).
   */
  'session:closed': z.object({ error: ErrorBody }),
  /** A call rings on this device. */
  'call:incoming': IncomingCall,
  /** To the caller: a callee device rings. */
  'call:ringing': z.object({ callId: CallId, deviceId: DeviceId, silent: z.boolean() }),
  /** To the caller: the callee answered on `deviceId`. Signalling now runs between the two devices. */
  'call:accepted': z.object({ callId: CallId, by: UserIdentity, deviceId: DeviceId }),
  /** The call is over for this device. */
  'call:ended': z.object({ callId: CallId, reason: EndReason, by: UserId.optional() }),
  /**
   * Relayed signalling from the other side. `from` is set by the server. The device acknowledges it;
   * until then the server keeps it and sends it again (same `stream` and `seq`) when the device
   * reconnects, so a device drops a `seq` of a `stream` it has already seen. `seq` grows by one per
   * signal to this device in this call; `stream` names that numbering and changes when the server
   * starts it afresh (a restarted server lost the old one and starts again at 1).
   */
  'call:signal': z.object({
    callId: CallId,
    from: UserIdentity,
    deviceId: DeviceId,
    data: SignalData,
    seq: z.number().int().positive(),
    stream: z.string().min(1).max(64),
  }),
  /** The other side put the call on hold or resumed it. */
  'call:hold': z.object({ callId: CallId, held: z.boolean(), by: UserId }),
  /** The other side muted or unmuted its microphone. */
  'call:mute': z.object({ callId: CallId, muted: z.boolean(), by: UserId }),
  /** The other side's signalling dropped (`connected: false`) or came back. Media may still flow. */
  'call:peer-connection': z.object({ callId: CallId, connected: z.boolean() }),
  /** Missed calls not yet acknowledged (on connect and whenever a new one is recorded). */
  'missed:calls': z.object({ calls: z.array(MissedCall) }),
  /** A presence change of a user this socket subscribed to. */
  'presence:changed': z.object({ userId: UserId, status: PresenceStatus }),
  /** To the transferor's device: its transfer changed (state, live leg, end). */
  'transfer:updated': TransferView,
  /** The call `oldCallId` is over for this device and `call` replaces it (a completed transfer); no `call:ended` follows for it. */
  'call:replaced': z.object({ oldCallId: CallId, by: UserIdentity, call: ActiveCall }),
  /**
  /**
   * The answered call `oldCallId` is over for this device and it waits in a service line's queue instead, as the queued
   * call `queued.callId`; no `call:ended` follows for the old call. `why`: the agent `by` transferred it to the line,
   * a failed blind transfer by `by` `returned` it to the front of its line, or its agent `by` was lost past the resume
   * grace (`agent-lost`: at the front again).
   */
  'call:queued': z.object({ oldCallId: CallId, by: UserIdentity, why: QueuedWhy, queued: QueuedCall }),
  /** A three-way call started or ended, told to each of the three devices on its own callId. */
  'call:conference': z.object({ callId: CallId, conference: ConferenceView }),
  /** This agent's state changed (every device of the agent). */
  'agent:status': AgentStatus,
  /** To a waiting caller's device: its position and wait estimate changed. */
  'line:queue-status': LineQueueStatusEvent,
  /** A snapshot of a watched line (supervisors, `line:watch`). */
  'line:view': LineView,
} as const;
export type ServerEventName = keyof typeof serverEvents;
export type ServerPayload<E extends ServerEventName> = z.infer<(typeof serverEvents)[E]>;

// ---------------------------------------------------------------------------------------------
// socket.io typings, derived from the schemas above so they can never drift.
// ---------------------------------------------------------------------------------------------

export type AckCallback<E extends ClientEventName> = (ack: Ack<ClientAckResult<E>>) => void;

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: AckCallback<E>) => void;
};

/**
 * How many undelivered in-call messages either end keeps per call: the server per receiving device
 * (signals not acknowledged yet, server/src/calls/signal-relay.ts), PhoneCore for its own made while
 * offline (shared/phone/outbox.ts). Past it the oldest goes; the media set-up restart recovers. Well
 * under the default call:signal rate limit (SIGNAL_RATE_LIMIT, 300 per 10 s), so sending a full buffer
 * at once is never refused.
 */
export const SIGNAL_BUFFER_LIMIT = 100;

/** Server events the receiving device must acknowledge (with any value, e.g. `{}`). */
export const ACKED_SERVER_EVENTS = ['call:signal'] as const satisfies readonly ServerEventName[];
export type AckedServerEvent = (typeof ACKED_SERVER_EVENTS)[number];

export type ServerToClientEvents = {
  [E in ServerEventName]: E extends AckedServerEvent ? (payload: ServerPayload<E>, ack: (response: unknown) => void) => void : (payload: ServerPayload<E>) => void;
};

/** `connect_error` data for refused handshakes. */
export const ConnectErrorData = ErrorBody;
