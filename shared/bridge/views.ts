import { z } from 'zod';
import { AgentStatus, CallContext, CallId, ConferenceView, EndReason, LineRef, Media, MissedCall, PresenceStatus, QueuedWhy, QueueStatus, Role, TransferView, UserId, UserIdentity } from '../protocol';
import type { CallView, ConnectionState, PhoneSnapshot } from '../phone/api';

/**
 * zod schemas of the PhoneCore views that cross the bridge. They mirror shared/phone/api.ts;
 * the type assertions at the bottom fail to compile if the two drift apart.
 */

const IsoTime = z.string().max(64);

export const ConnectionStateSchema = z.object({
  status: z.enum(['connecting', 'online', 'reconnecting', 'offline']),
  reason: z.string().max(500).nullable(),
  code: z.string().max(64).nullable(),
});

/**
 * A call as renderers name it: the server's UUID, or, for an outgoing call whose invite the server
 * has not acknowledged yet, the local id PhoneCore gave it ("local-" and 22 letters or digits).
 * The screens show such a call at once ("Calling bob…") and can cancel it.
 */
export const CallRef = z.union([CallId, z.string().regex(/^local-[A-Za-z0-9]{22}$/, 'a call id')]);

/** The other side. Before the invite is acknowledged only the dialled username is known: userId is ''. */
const PeerView = UserIdentity.extend({ userId: z.union([UserId, z.literal('')]) });

export const CallViewSchema = z.object({
  callId: CallRef,
  direction: z.enum(['incoming', 'outgoing']),
  peer: PeerView,
  media: Media,
  phase: z.enum(['inviting', 'calling', 'ringback', 'incoming', 'accepting', 'active', 'ended']),
  waiting: z.boolean(),
  silent: z.boolean(),
  held: z.boolean(),
  remoteHeld: z.boolean(),
  muted: z.boolean(),
  remoteMuted: z.boolean(),
  peerConnected: z.boolean(),
  startedAt: IsoTime,
  answeredAt: IsoTime.nullable(),
  endedAt: IsoTime.nullable(),
  endReason: EndReason.nullable(),
  endedBy: z.enum(['me', 'peer']).nullable(),
  context: CallContext.nullable(),
  transferredBy: UserIdentity.nullable(),
  movedToLine: z.object({ why: QueuedWhy, by: UserIdentity }).nullable(),
  conference: ConferenceView.nullable(),
  replacedBy: CallId.nullable(),
  line: LineRef.nullable(),
  queue: QueueStatus.nullable(),
});

export const PhoneSnapshotSchema = z.object({
  connection: ConnectionStateSchema,
  user: UserIdentity.nullable(),
  deviceId: z.string().max(64),
  presence: PresenceStatus,
  calls: z.array(CallViewSchema),
  missedCalls: z.array(MissedCall),
  transfers: z.array(TransferView),
  roles: z.array(Role),
  agent: AgentStatus.nullable(),
  autoAnswer: z.object({ callId: CallId, at: IsoTime }).nullable(),
});

/** Tray / taskbar status the desktop shows (and the web host's title/favicon may show). */
export const TrayStatus = z.enum(['online', 'in-call', 'dnd', 'reconnecting', 'offline', 'signed-out']);
export type TrayStatus = z.infer<typeof TrayStatus>;

/**
 * What renderers see of the phone: PhoneCore's snapshot plus what the host adds.
 * - `localMedia`: per call, what this side sends (outgoing: the media dialled; incoming: answered with or without video).
 * - `missedCount`: missed calls not yet seen in the history screen (the badge number).
 * - `status`: the tray status.
 */
export const BridgeSnapshot = PhoneSnapshotSchema.extend({
  localMedia: z.record(z.string(), Media),
  missedCount: z.number().int().nonnegative(),
  status: TrayStatus,
});
export type BridgeSnapshot = z.infer<typeof BridgeSnapshot>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type _CallViewMatchesApi = Assert<Same<z.infer<typeof CallViewSchema>, CallView>>;
export type _ConnectionMatchesApi = Assert<Same<z.infer<typeof ConnectionStateSchema>, ConnectionState>>;
export type _SnapshotMatchesApi = Assert<Same<z.infer<typeof PhoneSnapshotSchema>, PhoneSnapshot>>;
