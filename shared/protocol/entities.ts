import { z } from 'zod';

/** Lower-case login name: what people dial. */
export const Username = z
  .string()
  .min(3)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, underscore and dash; starts with a letter or digit');
/** A display name as the server sends it (names stored before NewDisplayName's rules existed still pass). */
export const DisplayName = z.string().min(1).max(64);

/** Control (Cc), format (Cf), surrogate (Cs), private-use (Co) and line/paragraph separator characters. */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;
/** A zero-width joiner inside an emoji sequence (👩‍💻): the one format character a name may keep. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}[\p{M}\p{Emoji_Modifier}]*)\u200D(?=\p{Extended_Pictographic})/gu;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;

/**
 * A display name as a user chooses it (registration): normalized to NFC and trimmed; no control or
 * format characters (NUL, ESC, U+202E right-to-left override, zero-width spaces...) except the joiner
 * inside an emoji; at least one visible character (a letter, digit, punctuation or symbol). Names can
 * still look alike, so every ring surface shows `@username` next to it.
 */
export const NewDisplayName = z
  .string()
  .transform((value) => value.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .min(1)
      .max(64)
      .refine((value) => !INVISIBLE_OR_CONTROL.test(value.replace(EMOJI_JOINER, '')), 'no control or format characters (such as NUL, ESC or U+202E)')
      .refine((value) => VISIBLE.test(value), 'needs at least one visible character'),
  );
export const Password = z.string().min(8).max(256);
export const UserId = z.string().uuid();
export const CallId = z.string().uuid();
/** Chosen by the client once and kept: identifies one installation of the app. */
export const DeviceId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/);

export const Media = z.enum(['audio', 'video']);
export type Media = z.infer<typeof Media>;

export const PresenceStatus = z.enum(['online', 'busy', 'dnd', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;

/** The presence a user can choose (presence:set); `busy` and `offline` are derived by the server. */
export const CHOSEN_PRESENCE = ['online', 'dnd', 'away'] as const;
export const ChosenPresence = z.enum(CHOSEN_PRESENCE);
export type ChosenPresence = z.infer<typeof ChosenPresence>;

/** A person as the server knows them. `from` fields are always built by the server from this. */
export const UserIdentity = z.object({
  userId: UserId,
  username: Username,
  displayName: DisplayName,
});
export type UserIdentity = z.infer<typeof UserIdentity>;

export const DirectoryEntry = UserIdentity.extend({ presence: PresenceStatus });
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

/** Why a call ended, as every participant is told. */
export const END_REASONS = [
  'hangup', // a participant hung up after the answer
  'cancelled', // the caller gave up before an answer
  'declined', // every ringing device declined
  'busy', // the callee is in a call and has call waiting off
  'dnd', // the callee is in do-not-disturb (reject mode)
  'no-answer', // the ring timer expired
  'unavailable', // no device of the callee was online
  'answered-elsewhere', // another device of the same user accepted (callee's other devices only)
  'declined-elsewhere', // another device of the same user declined for everyone (busy/dnd/blocked)
  'media-failed', // media could not recover within the recovery window
  'connection-lost', // a participant's signalling did not come back within the resume grace
  'server-restart', // the server restarted while the call was ringing
  'failed', // any other failure
  'transferred', // the conversation moved on without this leg (a completed transfer; 1.3)
] as const;
export const EndReason = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReason>;

/** The stored outcome of a call record. `abandoned`: the caller left a service line's queue. */
export const CALL_OUTCOMES = ['answered', 'missed', 'declined', 'cancelled', 'busy', 'no-answer', 'unavailable', 'failed', 'abandoned'] as const;
export const CallOutcome = z.enum(CALL_OUTCOMES);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** Why a callee device declines. `blocked` and `dnd` come from the ring policy, `busy` from call waiting being off. */
export const RejectReason = z.enum(['declined', 'busy', 'dnd', 'blocked']);
export type RejectReason = z.infer<typeof RejectReason>;

/**
 * WebRTC signalling data as simple-peer produces it: an SDP offer/answer, an ICE candidate,
 * a renegotiation request or a transceiver request. Bounded so a client cannot flood the relay.
 */
export const SignalData = z.union([
  z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(32_000) }).strict(),
  z
    .object({
      type: z.literal('candidate'),
      candidate: z
        .object({
          candidate: z.string().max(1_024),
          sdpMid: z.string().max(64).nullable().optional(),
          sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
          usernameFragment: z.string().max(256).nullable().optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ renegotiate: z.literal(true) }).strict(),
  z.object({ transceiverRequest: z.object({ kind: z.enum(['audio', 'video']), init: z.record(z.string(), z.unknown()).optional() }).strict() }).strict(),
  /**
   * Media set-up restart (not simple-peer's): `request` asks the other side to drop its peer
   * connection and start a fresh one; it answers `ready` once it has. Sent by a side that lost its
   * media (a reloaded page resuming the call) or whose set-up was cut by a signalling outage.
   */
  z.object({ restart: z.enum(['request', 'ready']) }).strict(),
]);
export type SignalData = z.infer<typeof SignalData>;

// Transfers (1.3): what call records say about them (the events are in transfers.ts).

export const TRANSFER_MODES = ['blind', 'consult'] as const;
export const TransferMode = z.enum(TRANSFER_MODES);
export type TransferMode = z.infer<typeof TransferMode>;

/** Why a transfer ended without completing. */
export const TRANSFER_END_REASONS = [
  'cancelled', // the agent cancelled
  'declined', // the target declined
  'no-answer', // the target did not answer in time
  'busy', // the target was busy (or in do-not-disturb)
  'unavailable', // no device of the target was reachable
  'customer-left', // the customer hung up or was lost
  'target-left', // the target hung up (or was lost) after answering
  'failed', // any other failure
] as const;
export const TransferEndReason = z.enum(TRANSFER_END_REASONS);
export type TransferEndReason = z.infer<typeof TransferEndReason>;

/** How a call record relates to its conversation (the first call of a chain of transfers). */
export const LEG_KINDS = ['direct', 'line', 'consult', 'transfer', 'transferred'] as const;
export const LegKind = z.enum(LEG_KINDS);
export type LegKind = z.infer<typeof LegKind>;

/** A transfer as a call record shows it (history, wrap-up). */
export const TransferSummary = z.object({
  transferId: z.string().uuid(),
  kind: TransferMode,
  by: UserIdentity,
  target: UserIdentity,
  result: z.enum(['completed', 'cancelled', 'failed', 'open']),
  endReason: TransferEndReason.nullable(),
  at: z.string().datetime(),
});
export type TransferSummary = z.infer<typeof TransferSummary>;

/** A service line as callers and agents see it (docs/lines.md). `lineId` is also the line's `UserIdentity.userId` (the callee of an unanswered line call). */
export const LineRef = z.object({ lineId: UserId, name: Username, displayName: DisplayName });
export type LineRef = z.infer<typeof LineRef>;

/**
 * A service line as the directory lists it (1.3, `GET /api/directory` `lines`): open lines only (a deleted line
 * is not listed). A line has no presence: `staffed` says whether an agent is on duty (available, busy or in
 * wrap-up), `availableAgents` how many of them could take a call right now.
 */
export const DirectoryLine = LineRef.extend({ staffed: z.boolean(), availableAgents: z.number().int().nonnegative() });
export type DirectoryLine = z.infer<typeof DirectoryLine>;

/** The asking agent's own after-call work on a call, as its history shows it (1.3): editable until `editUntil`. */
export const HistoryWrapUp = z.object({
  /** The line whose wrap-up it was (a line call's line; for an outbound call, the agent's strictest line). */
  line: LineRef.nullable(),
  notes: z.string(),
  outcomeCode: z.string().nullable(),
  /** The outcome's label on the line now (the code itself when the line no longer has it). */
  outcomeLabel: z.string().nullable(),
  tags: z.array(z.string()),
  editUntil: z.string().datetime(),
});
export type HistoryWrapUp = z.infer<typeof HistoryWrapUp>;

/** A transfer as a line call's records and the agent's wrap-up show it (1.3): the summary plus the call it created (null unless completed). */
export const CallTransferRecord = TransferSummary.extend({ newCallId: CallId.nullable() });
export type CallTransferRecord = z.infer<typeof CallTransferRecord>;

/** One entry of a user's call history, from that user's point of view. */
export const HistoryEntry = z.object({
  callId: CallId,
  direction: z.enum(['incoming', 'outgoing']),
  peer: UserIdentity,
  media: Media,
  outcome: CallOutcome,
  endReason: EndReason.nullable(),
  /** True for the callee when the call was not answered (missed, no-answer, unavailable, cancelled, busy). */
  missed: z.boolean(),
  startedAt: z.string().datetime(),
  answeredAt: z.string().datetime().nullable(),
  endedAt: z.string().datetime().nullable(),
  ringMs: z.number().int().nonnegative().nullable(),
  talkMs: z.number().int().nonnegative().nullable(),
  /** The first call of the conversation this call belongs to (1.3; older servers: the call itself). */
  conversationId: CallId.optional(),
  /** What this call was in its conversation (1.3; absent: direct): direct, a transfer's leg, or the call that replaced a transferred one. */
  legKind: LegKind.optional(),
  /** The call this one came from (a transfer leg's original call, or the transferred call it replaced). */
  parentCallId: CallId.nullable().optional(),
  /** The transfer this call took part in (as the original, the leg or the call it created), seen by its parties. */
  transfer: TransferSummary.nullable().optional(),
  /** The asking user's own wrap-up of this call (1.3; agents only): notes, outcome and tags. Nobody else's is shown. */
  wrapUp: HistoryWrapUp.nullable().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** A missed call as it is delivered to the callee's devices until one acknowledges it. */
export const MissedCall = z.object({
  id: z.string().uuid(),
  callId: CallId,
  from: UserIdentity,
  media: Media,
  at: z.string().datetime(),
  reason: EndReason,
});
export type MissedCall = z.infer<typeof MissedCall>;

export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;
