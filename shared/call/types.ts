import type { CallDirection, CallPhase } from '../phone/api';
import type {
  ActiveCall,
  CallContext,
  ClientEventName,
  ConferenceView,
  ClientPayload,
  EndReason,
  ErrorCode,
  IncomingCall,
  LineRef,
  Media,
  QueuedCall,
  QueuedWhy,
  QueueStatus,
  RejectReason,
  SignalData,
  UserIdentity,
} from '../protocol';

/** The model's phases: the public CallPhase plus `idle`, the state a call is in before its first event. */
export type ModelPhase = 'idle' | CallPhase;
export const MODEL_PHASES = ['idle', 'inviting', 'calling', 'ringback', 'incoming', 'accepting', 'active', 'ended'] as const satisfies readonly ModelPhase[];

/** A failure as PhoneCore sees it: a server ErrorCode, or a local one (no ack in time, not connected). */
export type ClientErrorCode = ErrorCode | 'TIMEOUT' | 'OFFLINE';
export interface ClientError {
  code: ClientErrorCode;
  message: string;
}

/** What the ring policy decided for an incoming call (see shared/phone/ring-policy.ts). */
export type RingDecision =
  | { action: 'ring'; silent: boolean; waiting: boolean }
  | { action: 'reject'; reason: Exclude<RejectReason, 'declined'> };

/** Everything the model knows about one call. */
export interface CallState {
  /** The server's callId; a local id while the invite is not acknowledged yet. */
  id: string;
  phase: ModelPhase;
  direction: CallDirection;
  /** For an outgoing call before the invite is acknowledged: userId '' and the dialled username. */
  peer: UserIdentity;
  /** The other side's device once the call is answered. */
  peerDeviceId: string | null;
  media: Media;
  waiting: boolean;
  silent: boolean;
  held: boolean;
  remoteHeld: boolean;
  /** This side's microphone is muted (the other side is told). */
  muted: boolean;
  /** The other side's microphone is muted. */
  remoteMuted: boolean;
  peerConnected: boolean;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: EndReason | null;
  /** Whose action ended it: this user ('me', on this device or another), the other side ('peer'), or nobody (timers, failures). */
  endedBy: 'me' | 'peer' | null;
  /** The user ended the call before the server answered the invite or the accept: carried out when it does. */
  endPending: 'hangup' | 'media-failed' | null;
  /** Remote signals that arrived while the accept was not yet acknowledged: delivered once active. */
  pendingSignals: SignalData[];
  /** While it rings: when the server ends the ring (server time). */
  ringUntil: string | null;
  /** A transfer or consult leg ringing here: who transfers, and for whom (issue 15). */
  context: CallContext | null;
  /** This call replaced a transferred one: who transferred it (a completed transfer, or a transfer to a line). */
  transferredBy: UserIdentity | null;
  /** This call waits in a line because its answered call was moved there (call:queued): why, and by whom. */
  movedToLine: { why: QueuedWhy; by: UserIdentity } | null;
  /** The three-way call this call is part of, as the server says (null: none). */
  conference: ConferenceView | null;
  /** The call that replaced this one (a completed transfer): the screens show no end summary for it. */
  replacedBy: string | null;
  /** A service-line call (issue 14): the line dialled (outgoing) or the line the offer comes from (incoming). */
  line: LineRef | null;
  /** Outgoing to a line and waiting for an agent: the place in line and the estimate; null once answered. */
  queue: QueueStatus | null;
}

type EventBody =
  | { type: 'dial'; to: string; media: Media }
  | { type: 'incoming'; call: IncomingCall; decision: RingDecision }
  /** `queued`: `to` is a service line; the call waits in `line` at `queue` until an agent answers. */
  | { type: 'invite-acked'; callId: string; status: 'ringing' | 'unavailable' | 'queued'; callee: UserIdentity; ringUntil: string; line?: LineRef; queue?: QueueStatus }
  | { type: 'invite-failed'; error: ClientError }
  | { type: 'remote-ringing'; silent: boolean }
  | { type: 'remote-accepted'; by: UserIdentity; deviceId: string }
  | { type: 'answer' }
  /** `peerConnected`: the caller's signalling is up (false while it is within its resume grace). */
  | { type: 'accept-acked'; peerConnected: boolean }
  | { type: 'accept-failed'; error: ClientError }
  | { type: 'decline'; reason: RejectReason }
  /** `mediaLastSeenAt` (server time): when this device last had media from the other side, when that was earlier. */
  | { type: 'hangup'; reason: 'hangup' | 'media-failed'; mediaLastSeenAt?: string }
  | { type: 'hold'; held: boolean }
  | { type: 'remote-hold'; held: boolean }
  | { type: 'mute'; muted: boolean }
  | { type: 'remote-mute'; muted: boolean }
  | { type: 'peer-connection'; connected: boolean }
  | { type: 'signal-out'; data: SignalData }
  | { type: 'signal-in'; data: SignalData }
  /** `by`: the user whose action ended it, when the server says. */
  | { type: 'remote-ended'; reason: EndReason; by?: string }
  /** After a (re)connect the server lists this call as answered and up. */
  | { type: 'resumed'; call: ActiveCall }
  /** After a (re)connect the server lists an answered call of this device that this device had lost (a reloaded page). */
  | { type: 'adopted'; call: ActiveCall }
  /** After a (re)connect the server no longer knows this call. */
  | { type: 'forgotten' }
  /** The ring deadline (`ringUntil`) passed on this device's own clock: the phone stops ringing even when the server cannot say so. */
  | { type: 'ring-timeout' }
  /** A completed transfer moved this call's conversation to `newCallId` (call:replaced): over here, without an end summary. */
  | { type: 'replaced'; newCallId: string }
  /** The call that replaces a transferred one (call:replaced): answered at once; the caller (the customer) creates the offer. */
  | { type: 'transferred-in'; call: ActiveCall; by: UserIdentity }
  /**
   * The answered call this one replaces was moved to a line's queue (call:queued): it waits there as a queued call.
   * `why`: transferred there by `by`, returned to the front after `by`'s transfer failed, or its agent `by` was lost.
   */
  | { type: 'queued-in'; queued: QueuedCall; by: UserIdentity; why: QueuedWhy }
  /** After a (re)connect the server lists a call of this device waiting in a line that this device had lost (a reloaded page): it waits here again, at its place. */
  | { type: 'queued-adopted'; queued: QueuedCall }
  /** This device's consult started a leg to `to` (the server placed it: its id comes in the transfer, not an invite ack). */
  | { type: 'leg-started'; to: UserIdentity; media: Media }
  /** The server says this call joined or left a three-way call (call:conference). */
  | { type: 'conference'; conference: ConferenceView }
  /** A queued call's place in line or wait estimate changed (line:queue-status, or session:ready.queuedCalls). */
  | { type: 'queue-status'; queue: QueueStatus };

/** An input of the model. `at` is the ISO time the driver observed it (the model reads no clock). */
export type CallEvent = EventBody & { at: string };
export type CallEventType = CallEvent['type'];
export const CALL_EVENT_TYPES = [
  'dial',
  'incoming',
  'invite-acked',
  'invite-failed',
  'remote-ringing',
  'remote-accepted',
  'answer',
  'accept-acked',
  'accept-failed',
  'decline',
  'hangup',
  'hold',
  'remote-hold',
  'mute',
  'remote-mute',
  'peer-connection',
  'signal-out',
  'signal-in',
  'remote-ended',
  'resumed',
  'adopted',
  'forgotten',
  'ring-timeout',
  'replaced',
  'transferred-in',
  'queued-in',
  'queued-adopted',
  'leg-started',
  'conference',
  'queue-status',
] as const satisfies readonly CallEventType[];

/** One protocol message to send, typed by event name. */
export type OutgoingMessage = { [E in ClientEventName]: { event: E; payload: ClientPayload<E> } }[ClientEventName];

/** What the driver must do. Effects are data; the model performs none of them. */
export type CallEffect =
  | { type: 'send'; message: OutgoingMessage }
  | { type: 'start-ringing'; silent: boolean; waiting: boolean }
  | { type: 'stop-ringing'; reason: EndReason | 'answered' }
  | { type: 'ringback' }
  /** Arm the local ring timer: feed `ring-timeout` at `at` (server time). */
  | { type: 'ring-deadline'; at: string }
  /** `restart`: this device lost the call's media (adopted): both sides start their media afresh. */
  | { type: 'answered'; initiator: boolean; restart: boolean }
  | { type: 'deliver-signal'; data: SignalData }
  | { type: 'ended' }
  | { type: 'log'; level: 'info' | 'warn'; message: string };

export interface Transition {
  state: CallState;
  effects: CallEffect[];
  /** Set when the event was illegal in this phase: the state is unchanged and the only effect is a log. */
  ignored?: string;
}

/** Compile-time check that CALL_EVENT_TYPES lists every event type. */
type MissingEventType = Exclude<CallEventType, (typeof CALL_EVENT_TYPES)[number]>;
export const ALL_EVENT_TYPES_LISTED: [MissingEventType] extends [never] ? true : never = true;

/** An event as a driver submits it, before it is stamped with the time. */
export type CallEventInput = EventBody;
