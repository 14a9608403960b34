import { z } from 'zod';
import { CallId, CallOutcome, CallTransferRecord, ChosenPresence, EndReason, LineRef, Media, UserId, UserIdentity } from './entities';

/**
 * Service lines (issue 14): a line is a name callers dial like a username (`call:invite { to: 'support' }`).
 * Lines and users share one namespace (a line is a users row of kind `line`), so a name is either a person
 * or a line, never both; the invite ack says which (`status: 'queued'` and `line`).
 * Design: docs/design/lines-and-transfers.md; documentation: docs/lines.md.
 */

/** An agent's state, derived by the server (shared/lines/agent-state.ts) from the chosen presence and the facts. */
export const AGENT_STATES = ['available', 'busy', 'wrap-up', 'away', 'dnd', 'offline'] as const;
export const AgentState = z.enum(AGENT_STATES);
export type AgentState = z.infer<typeof AgentState>;

/** Why an agent is away. `missed-offer` is set by the server only (an offer timed out). */
export const AWAY_REASONS = ['break', 'lunch', 'training', 'meeting', 'other', 'missed-offer'] as const;
export const AwayReason = z.enum(AWAY_REASONS);
export type AwayReason = z.infer<typeof AwayReason>;
export const ChosenAwayReason = AwayReason.exclude(['missed-offer']);
export type ChosenAwayReason = z.infer<typeof ChosenAwayReason>;

/** Roles beyond a plain user. An admin is also a supervisor. */
export const ROLES = ['admin', 'supervisor'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const OutcomeCode = z.object({ code: z.string().regex(/^[a-z0-9-]{1,32}$/, 'lower-case letters, digits and dash, at most 32'), label: z.string().trim().min(1).max(64) }).strict();
export type OutcomeCode = z.infer<typeof OutcomeCode>;

export const WRAP_UP_MODES = ['none', 'optional', 'time-boxed'] as const;
export const WrapUpMode = z.enum(WRAP_UP_MODES);
export type WrapUpMode = z.infer<typeof WrapUpMode>;

export const LINE_STRATEGIES = ['ring-all', 'longest-idle'] as const;
export const LineStrategy = z.enum(LINE_STRATEGIES);
export type LineStrategy = z.infer<typeof LineStrategy>;

/** What happens to a caller who arrives while no agent staffs the line (available, busy or in wrap-up). */
export const WhenNoAgent = z.enum(['wait', 'reject']);
export type WhenNoAgent = z.infer<typeof WhenNoAgent>;

/** IANA time zone name (checked against the runtime's zone database). */
const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Europe/Berlin');

const outcomeCodes = z
  .array(OutcomeCode)
  .max(15)
  .refine((codes) => new Set(codes.map((c) => c.code)).size === codes.length, 'outcome codes must be unique');

/** A line's settings; every field has a default (the limits are the documented ranges in docs/lines.md). */
export const LINE_DEFAULTS = {
  strategy: 'ring-all',
  offerTimeoutMs: 15_000,
  maxWaitMs: 600_000,
  whenNoAgent: 'wait',
  wrapUp: { mode: 'time-boxed', timeMs: 30_000 },
  outcomeCodes: [],
  outcomeRequired: false,
  expectedHandleMs: 300_000,
  timeZone: 'UTC',
} as const;

const lineConfigShape = {
  strategy: LineStrategy,
  /** How long one offer rings on an agent before it times out (and that agent goes away: missed-offer). */
  offerTimeoutMs: z.number().int().min(2_000).max(60_000),
  /** How long a caller waits at most; then the call ends `no-answer`. */
  maxWaitMs: z.number().int().min(10_000).max(3_600_000),
  whenNoAgent: WhenNoAgent,
  wrapUp: z.object({ mode: WrapUpMode, timeMs: z.number().int().min(1_000).max(900_000) }).strict(),
  outcomeCodes,
  /** Done needs an outcome code (a time-boxed wrap-up that runs out without one is recorded as `outcomeMissing`). */
  outcomeRequired: z.boolean(),
  /** The handle time the wait estimate uses until the line has handled calls of its own. */
  expectedHandleMs: z.number().int().min(10_000).max(7_200_000),
  /** The line's "today" (line view figures). */
  timeZone: TimeZone,
};
export const LineConfig = z.object(lineConfigShape).strict();
export type LineConfig = z.infer<typeof LineConfig>;

export const Line = LineRef.extend({
  ...lineConfigShape,
  timeZone: z.string(),
  /** Number of members (agents). */
  members: z.number().int().nonnegative(),
  createdAt: z.string().datetime(),
  /** Set once the line is deleted: new callers get USER_NOT_FOUND, the name stays reserved. */
  closedAt: z.string().datetime().nullable(),
});
export type Line = z.infer<typeof Line>;

/** A waiting caller's place: position 1 is next. The estimate is a range and never "0 min"; null while no agent serves the line. */
export const QueueStatus = z.object({
  position: z.number().int().min(1),
  waiting: z.number().int().min(1),
  estimate: z.object({ minMs: z.number().int().min(60_000), maxMs: z.number().int().min(60_000) }).nullable(),
  at: z.string().datetime(),
});
export type QueueStatus = z.infer<typeof QueueStatus>;

/** Free text as an agent writes it: NFC, at most `max`, no control characters except newline and tab. */
const notesText = z
  .string()
  .max(4_000)
  .transform((value) => value.normalize('NFC'))
  // eslint-disable-next-line no-control-regex
  .refine((value) => !/[\u0000-\u0008\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(value), 'no control or direction-override characters');
const Tag = z.string().trim().min(1).max(32).regex(/^[^\p{Cc}\p{Cf}]+$/u, 'no control or format characters');

export const WrapUpDraft = z.object({
  notes: notesText,
  outcomeCode: z.string().max(32).nullable(),
  tags: z.array(Tag).max(10),
});
export type WrapUpDraft = z.infer<typeof WrapUpDraft>;

/** A wrap-up (after-call work) of this agent: running, or still editable (24 h). */
export const WrapUpTask = z.object({
  callId: CallId,
  line: LineRef.nullable(),
  mode: WrapUpMode,
  startedAt: z.string().datetime(),
  /** Time-boxed: when the server ends it; null for optional. */
  until: z.string().datetime().nullable(),
  endedAt: z.string().datetime().nullable(),
  outcomeCodes: z.array(OutcomeCode),
  outcomeRequired: z.boolean(),
  draft: WrapUpDraft,
  editUntil: z.string().datetime(),
  /** The line call's transfer (its latest try: completed, cancelled or failed), null when none (1.3, absent before). */
  transfer: CallTransferRecord.nullable().optional(),
});
export type WrapUpTask = z.infer<typeof WrapUpTask>;

/** An agent's own state, pushed to every device of the agent (`agent:status`) and in `session:ready.agent`. */
export const AgentStatus = z.object({
  state: AgentState,
  chosen: ChosenPresence,
  reason: AwayReason.nullable(),
  since: z.string().datetime(),
  lines: z.array(LineRef),
  wrapUp: WrapUpTask.nullable(),
  /** A line call being offered to this agent right now. */
  offer: z.object({ callId: CallId, until: z.string().datetime() }).nullable(),
});
export type AgentStatus = z.infer<typeof AgentStatus>;

/**
 * A call of this device waiting in a line: in `session:ready.queuedCalls` after a reconnect or a reload (its place
 * kept for the resume grace), and in `call:queued.queued`. `ringUntil`: the caller's ring deadline, as in the invite ack.
 */
export const QueuedCall = z.object({
  callId: CallId,
  line: LineRef,
  media: Media,
  enqueuedAt: z.string().datetime(),
  giveUpAt: z.string().datetime(),
  queue: QueueStatus,
  ringUntil: z.string().datetime(),
});
export type QueuedCall = z.infer<typeof QueuedCall>;


/**
 * Why a call was moved into a line's queue: the agent `transferred` it there (D13), a failed blind transfer of a line
 * call `returned` it to the front of its line (D14), or its agent was lost past the resume grace and it waits at the
 * front again (`agent-lost`, D15).
 */
export const QueuedWhy = z.enum(['transferred', 'returned', 'agent-lost']);
export type QueuedWhy = z.infer<typeof QueuedWhy>;

export const AgentView = z.object({ user: UserIdentity, state: AgentState, reason: AwayReason.nullable(), since: z.string().datetime() });
export type AgentView = z.infer<typeof AgentView>;

/** The supervisor's live view of one line (pushed as full snapshots to the watchers). */
export const LineView = z.object({
  line: LineRef,
  waiting: z.number().int().nonnegative(),
  longestWaitSince: z.string().datetime().nullable(),
  entries: z.array(z.object({ callId: CallId, caller: UserIdentity, since: z.string().datetime(), state: z.enum(['waiting', 'offered']) })).max(200),
  agents: z.array(AgentView),
  today: z.object({
    handled: z.number().int().nonnegative(),
    abandoned: z.number().int().nonnegative(),
    timedOut: z.number().int().nonnegative(),
    averageHandleMs: z.number().int().nonnegative().nullable(),
    abandonRate: z.number().min(0).max(1).nullable(),
  }),
  at: z.string().datetime(),
});
export type LineView = z.infer<typeof LineView>;

/** One call of a line, for the records export. */
export const LineRecord = z.object({
  callId: CallId,
  caller: UserIdentity,
  agent: UserIdentity.nullable(),
  media: Media,
  outcome: CallOutcome,
  endReason: EndReason.nullable(),
  enqueuedAt: z.string().datetime(),
  connectedAt: z.string().datetime().nullable(),
  endedAt: z.string().datetime().nullable(),
  waitMs: z.number().int().nonnegative().nullable(),
  talkMs: z.number().int().nonnegative().nullable(),
  wrapUp: z
    .object({ notes: z.string(), outcomeCode: z.string().nullable(), outcomeLabel: z.string().nullable(), tags: z.array(z.string()), outcomeMissing: z.boolean() })
    .nullable(),
  /** The call's transfer (its latest try: to whom, blind or consult, the result, the call it created), null when none (1.3, absent before). */
  transfer: CallTransferRecord.nullable().optional(),
});
export type LineRecord = z.infer<typeof LineRecord>;

// ---------------------------------------------------------------------------------------------
// Socket payloads of the line events (listed in clientEvents / serverEvents, socket.ts).
// ---------------------------------------------------------------------------------------------

/** `presence:set`: a reason only with `away`. */
export const PresenceSetPayload = z
  .object({ status: ChosenPresence, reason: ChosenAwayReason.optional() })
  .strict()
  .refine((value) => value.reason === undefined || value.status === 'away', { message: 'a reason goes only with away', path: ['reason'] });

export const WrapUpSavePayload = z.object({ callId: CallId, notes: notesText, outcomeCode: z.string().max(32).nullable(), tags: z.array(Tag).max(10) }).strict();
export const WrapUpDonePayload = z
  .object({ callId: CallId, notes: notesText.optional(), outcomeCode: z.string().max(32).nullable().optional(), tags: z.array(Tag).max(10).optional() })
  .strict();
export const LineWatchPayload = z.object({ lineIds: z.array(UserId).max(50) }).strict();
export const LineQueueStatusEvent = z.object({ callId: CallId, queue: QueueStatus });
