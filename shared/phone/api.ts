import type { AutoAnswerView } from './auto-answer';
import type {
  AgentStatus,
  ChosenAwayReason,
  ChosenPresence,
  EndReason,
  LineView,
  Media,
  MissedCall,
  PresenceStatus,
  RejectReason,
  Role,
  SignalData,
  TransferMode,
  TransferView,
  UserIdentity,
  WrapUpDraft,
  WrapUpTask,
} from '../protocol';
import type { CallState } from '../call/types';

/**
 * The public face of PhoneCore: what the Electron main process, the web host, the bot, the
 * tests and the benchmarks program against. The bridge contract (shared/bridge) exposes a
 * subset of it to renderers.
 */

export type ConnectionStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the connection is not online, in words a user can read (e.g. "server unreachable"). */
  reason: string | null;
  /** Machine-readable cause when known: an ErrorCode such as TOKEN_EXPIRED, or 'transport'. */
  code: string | null;
}

/** The named states of one call, as the call model (shared/call) defines them. */
export type CallPhase =
  | 'inviting' // outgoing: invite sent, waiting for the server's acknowledgement
  | 'calling' // outgoing: delivered, no device reported ringing yet
  | 'ringback' // outgoing: at least one callee device rings
  | 'incoming' // incoming: ringing on this device
  | 'accepting' // incoming: accept sent, waiting for the acknowledgement
  | 'active' // answered: media may be negotiated; signals are relayed
  | 'ended';

export type CallDirection = 'incoming' | 'outgoing';

/** A read-only view of one call. */
/** What the call model keeps of transfers and service lines, shown as it is (documented on CallState). */
type CallLinksView = Pick<CallState, 'context' | 'transferredBy' | 'movedToLine' | 'conference' | 'replacedBy' | 'line' | 'queue'>;

export interface CallView extends CallLinksView {
  callId: string;
  direction: CallDirection;
  peer: UserIdentity;
  media: Media;
  phase: CallPhase;
  /** Incoming only: it rings during another call (call waiting). */
  waiting: boolean;
  /** Incoming only: it rings silently (DND in ring-silent mode). */
  silent: boolean;
  /** This side put the call on hold. */
  held: boolean;
  /** The other side put the call on hold. */
  remoteHeld: boolean;
  /** This side's microphone is muted (the other side is told). */
  muted: boolean;
  /** The other side muted its microphone. */
  remoteMuted: boolean;
  /** The other side's signalling is connected (false while it reconnects). */
  peerConnected: boolean;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: EndReason | null;
  /** Whose action ended it: this user ('me'), the other side ('peer'), or nobody (timers, failures). */
  endedBy: 'me' | 'peer' | null;
}

/** What the transferor can do with its transfer (`split`: from a three-way call back to a consult with the customer live). */
export type TransferAction = 'swap' | 'complete' | 'cancel' | 'merge' | 'split';

export interface PhoneSnapshot {
  connection: ConnectionState;
  user: UserIdentity | null;
  deviceId: string;
  presence: PresenceStatus;
  /** Calls that are not ended, oldest first. */
  calls: CallView[];
  /** Missed calls not yet acknowledged. */
  missedCalls: MissedCall[];
  /** Transfers this device started whose calls are still here: open ones, and the last final one per call (its outcome is shown). */
  transfers: TransferView[];
  /** This user's roles (supervisor, admin); none before the first session:ready. */
  roles: Role[];
  /** The agent state when this user is a member of a service line, else null. */
  agent: AgentStatus | null;
  /** A line call of this device that answers by itself at `at` unless stopped (auto-answer), else null. */
  autoAnswer: AutoAnswerView | null;
}

/** Ring policy settings that PhoneCore applies to incoming calls. */
export interface RingPolicy {
  dnd: 'off' | 'reject' | 'silent';
  /** Usernames whose calls are rejected without ringing. */
  blocklist: string[];
  callWaiting: boolean;
  /** Line calls answer by themselves after a short ring while the agent is available (see auto-answer.ts). Off when absent. */
  autoAnswerLineCalls?: boolean;
}

export interface PhoneEvents {
  /** Any change of the snapshot. */
  snapshot: (snapshot: PhoneSnapshot) => void;
  connection: (state: ConnectionState) => void;
  /** A call starts ringing on this device (not emitted for calls the ring policy rejected). */
  incoming: (call: CallView) => void;
  /** Every ring surface for this call must stop now (answered here or elsewhere, declined, cancelled, timed out). */
  'ring-stopped': (callId: string, reason: EndReason | 'answered') => void;
  /** An outgoing call's callee rings: play ringback. */
  ringback: (callId: string) => void;
  /**
   * The call is answered; media may start. `initiator` is true for the side that must create the offer (the caller).
   * `restart` is true for a call this device had lost and took back after a reconnect (a reloaded page): its media starts afresh on both sides.
   */
  answered: (call: CallView, initiator: boolean, restart: boolean) => void;
  ended: (call: CallView) => void;
  /** Signalling data from the remote side for the media layer. */
  signal: (callId: string, data: SignalData) => void;
  /** New unacknowledged missed calls arrived (live or at (re)connect). */
  missed: (calls: MissedCall[]) => void;
  presence: (userId: string, status: PresenceStatus) => void;
  /** A snapshot of a line this device watches (supervisors). */
  'line-view': (view: LineView) => void;
}

export interface PhoneCoreApi {
  /** Connect and stay connected until stop(). */
  start(): void;
  /**
   * Disconnect. By default this device's calls are ended first. `keepResumable` leaves answered
   * calls and calls waiting in a line to the server's resume grace instead (a web page that reloads takes
   * them back; a queued call keeps its place in line).
   */
  stop(options?: { keepResumable?: boolean }): Promise<void>;
  /** Re-verify the connection now (wake, unlock, network change) instead of waiting for a ping timeout. */
  checkConnection(): Promise<ConnectionState>;
  /** Place a call; resolves with the call id once the server has answered the invite. */
  call(to: string, media: Media): Promise<CallView>;
  answer(callId: string): Promise<void>;
  decline(callId: string, reason?: RejectReason): Promise<void>;
  /** Cancel (before answer) or hang up (after answer). */
  /** `mediaLastSeenAt` (this clock, ms): when media from the other side was last seen, if earlier than now; the record's talk time ends there. */
  end(callId: string, reason?: 'hangup' | 'media-failed', options?: { mediaLastSeenAt?: number }): Promise<void>;
  hold(callId: string, held: boolean): Promise<void>;
  /** Mute or unmute this side's microphone; the other side is told (at once, or when signalling is back). */
  mute(callId: string, muted: boolean): Promise<void>;
  sendSignal(callId: string, data: SignalData): Promise<void>;
  acknowledgeMissed(ids: string[]): Promise<void>;
  setRingPolicy(policy: RingPolicy): void;
  /** The ring policy in force (loaded from the store at start). */
  ringPolicy(): RingPolicy;
  /** The chosen presence; `reason` only with away (support-line agents show it). */
  setPresence(status: ChosenPresence, reason?: ChosenAwayReason): Promise<void>;
  /** Transfer an answered call to `to`: the customer is held and `to` rings with the context. Resolves with the transfer. */
  transfer(callId: string, to: string, mode: TransferMode): Promise<TransferView>;
  /** Swap, complete, cancel, merge or split this device's transfer; resolves with its new state. */
  transferAction(transferId: string, action: TransferAction): Promise<TransferView>;
  /** Save the notes, outcome and tags of one of this agent's wrap-ups (editable for 24 h). */
  saveWrapUp(callId: string, draft: WrapUpDraft): Promise<WrapUpTask>;
  /** End the running wrap-up (Done), saving the draft given with it. */
  finishWrapUp(callId: string, draft?: Partial<WrapUpDraft>): Promise<AgentStatus>;
  /** Stops this line call from answering by itself (it keeps ringing); false when it was not going to. */
  cancelAutoAnswer(callId: string): boolean;
  /** Watch these lines (supervisors): their views come back at once and then as 'line-view' events; `[]` stops. */
  watchLines(lineIds: string[]): Promise<LineView[]>;
  /** Replace the set of users whose presence changes arrive as 'presence' events; resolves with their current status. */
  subscribePresence(userIds: string[]): Promise<Array<{ userId: string; status: PresenceStatus }>>;
  snapshot(): PhoneSnapshot;
  on<E extends keyof PhoneEvents>(event: E, listener: PhoneEvents[E]): () => void;
}
