import { z } from 'zod';
import {
  AgentStatus,
  CallId,
  ChosenAwayReason,
  ChosenPresence,
  LinesResponse,
  LineView,
  LineWatchPayload,
  WrapUpDonePayload,
  WrapUpSavePayload,
  WrapUpTask,
  DirectoryResponse,
  NewDisplayName,
  HistoryEntry,
  IceServersResponse,
  Media,
  MissedCall,
  Password,
  SignalData,
  UserIdentity,
  Username,
  EndReason,
  TransferMode,
  TransferView,
  clientAcks,
  clientEvents,
  serverEvents,
} from '../protocol';
import { Settings, SettingsPatch, ServerUrl } from '../settings';
import { BridgeSnapshot, CallRef, CallViewSchema, ConnectionStateSchema } from './views';

/**
 * THE renderer <-> host contract, declared once. Both hosts (Electron main over IPC, the web
 * host in the page) implement `bridgeCalls` and emit `bridgeEvents`; renderers reach them only
 * through `window.softphone` (type SoftphoneBridge, built from these maps by createBridgeClient).
 *
 * Rules:
 * - The receiving side validates every payload: the host parses each request, the client parses
 *   each result and event. Hosts also parse their own results before sending, which strips any
 *   field the contract does not name.
 * - A call resolves to `{ ok: true, value }` or `{ ok: false, error: BridgeErrorBody }`; it never
 *   rejects (transport failures become `{ ok: false, error: { code: 'TRANSPORT' } }`). Use
 *   `unwrap()` to turn it into a value-or-throw.
 */

const Empty = z.object({}).strict();
const Done = z.object({});

export const SessionInfo = z.object({ user: UserIdentity.nullable(), serverUrl: z.string() });
export type SessionInfo = z.infer<typeof SessionInfo>;

export const HostCapabilities = z.object({
  /** A dedicated incoming-call window exists: it (not the main window) shows the incoming UI and plays the ringtone. */
  incomingWindow: z.boolean(),
  /** screen.sources lists desktopCapturer sources (else use getDisplayMedia). */
  screenSources: z.boolean(),
  globalShortcuts: z.boolean(),
  startAtLogin: z.boolean(),
  /** tel:/callto: handler registration. */
  deepLinkHandlers: z.boolean(),
  /** diagnostics.copy writes to the clipboard itself (else the renderer copies the returned text). */
  clipboard: z.boolean(),
});
export type HostCapabilities = z.infer<typeof HostCapabilities>;

export const HostInfo = z.object({
  kind: z.enum(['electron', 'web']),
  platform: z.string().max(64),
  version: z.string().max(64),
  capabilities: HostCapabilities,
});
export type HostInfo = z.infer<typeof HostInfo>;

export const ScreenSource = z.object({
  id: z.string().max(256),
  name: z.string().max(512),
  kind: z.enum(['screen', 'window']),
  /** PNG data URL of a small thumbnail, when available. */
  thumbnail: z.string().max(2_000_000).nullable(),
});
export type ScreenSource = z.infer<typeof ScreenSource>;

export const HistoryPage = z.object({
  calls: z.array(HistoryEntry),
  nextCursor: z.string().nullable(),
  /** 'cache' when the service could not be reached and the offline copy was returned. */
  source: z.enum(['online', 'cache']),
});
export type HistoryPage = z.infer<typeof HistoryPage>;

/** Where a deep link came from. */
export const DeepLinkScheme = z.enum(['softphone', 'tel', 'callto']);
export type DeepLinkScheme = z.infer<typeof DeepLinkScheme>;

/** A link asks to call someone; the user must confirm (deepLink.confirm). */
export const DeepLinkPrompt = z.object({ promptId: z.string().min(1).max(64), username: Username, scheme: DeepLinkScheme, media: Media });
export type DeepLinkPrompt = z.infer<typeof DeepLinkPrompt>;

/** What the ringtone player needs, sent with every incoming call. */
export const RingInstruction = z.object({
  /** Visual only: DND ring-silent mode. */
  silent: z.boolean(),
  /** Ringing during another call: play the short call-waiting tone instead of the ringtone. */
  waiting: z.boolean(),
  ringtone: Settings.shape.ringtone,
  ringerDeviceId: z.string().max(512).nullable(),
  ringOnAllOutputs: z.boolean(),
  /** The call answers by itself (auto-answer for line calls): play the short auto-answer tone instead of the ringtone. */
  autoAnswer: z.boolean(),
});
export type RingInstruction = z.infer<typeof RingInstruction>;

function call<Req extends z.ZodType, Res extends z.ZodType>(request: Req, result: Res) {
  return { request, result };
}

export const bridgeCalls = {
  'auth.register': call(
    z.object({ username: Username, displayName: NewDisplayName, password: Password, serverUrl: ServerUrl.optional() }).strict(),
    SessionInfo,
  ),
  'auth.login': call(z.object({ username: Username, password: z.string().min(1).max(256), serverUrl: ServerUrl.optional() }).strict(), SessionInfo),
  'auth.logout': call(Empty, Done),
  /** The remembered session (user null when signed out). */
  'auth.session': call(Empty, SessionInfo),

  'phone.snapshot': call(Empty, BridgeSnapshot),
  'phone.call': call(z.object({ to: Username, media: Media }).strict(), CallViewSchema),
  /** Answer a ringing call; `withVideo` false answers a video call with audio only. */
  'phone.answer': call(z.object({ callId: CallId, withVideo: z.boolean() }).strict(), Done),
  'phone.decline': call(z.object({ callId: CallId }).strict(), Done),
  /** Cancel before the answer, hang up after it. */
  /** `mediaLastSeenAt` (ISO, this machine's clock): when media from the other side was last seen, if earlier than now. */
  'phone.end': call(z.object({ callId: CallRef, reason: z.enum(['hangup', 'media-failed']).default('hangup'), mediaLastSeenAt: z.string().datetime().optional() }).strict(), Done),
  'phone.hold': call(z.object({ callId: CallId, held: z.boolean() }).strict(), Done),
  /** Mute or unmute this side's microphone: the media follows the snapshot's `muted`, the other side is told. */
  'phone.mute': call(z.object({ callId: CallId, muted: z.boolean() }).strict(), Done),
  /** simple-peer signal data from this renderer, relayed to the other side. */
  'phone.signal': call(z.object({ callId: CallId, data: SignalData }).strict(), Done),
  'phone.ackMissed': call(z.object({ ids: z.array(z.string().uuid()).min(1).max(500) }).strict(), Done),
  /** The chosen presence; `reason` goes only with away (support-line agents). */
  'phone.setPresence': call(z.object({ status: ChosenPresence, reason: ChosenAwayReason.optional() }).strict(), Done),
  /**
   * Replace the set of users whose presence changes arrive as `phone.presence` (the people on
   * screen); resolves with their current statuses. The host renews it after a reconnect.
   */
  'phone.subscribePresence': call(clientEvents['presence:subscribe'], clientAcks['presence:subscribe']),
  /** Transfer an answered call (issue 15): `blind` completes when `to` answers, `consult` talks to `to` first. */
  'phone.transfer': call(z.object({ callId: CallId, to: Username, mode: TransferMode }).strict(), TransferView),
  /** Act on this device's transfer; `split` turns a three-way call back into a consult with the customer live. */
  'phone.transferAction': call(
    z.object({ transferId: z.string().uuid(), action: z.enum(['swap', 'complete', 'cancel', 'merge', 'split']) }).strict(),
    TransferView,
  ),
  /** Re-check the connection now (the renderer saw the network come back). */
  'phone.checkConnection': call(Empty, ConnectionStateSchema),

  /** Support lines (issue 14): save the notes, outcome code and tags of one of this agent's wrap-ups. */
  'wrapup.save': call(WrapUpSavePayload, WrapUpTask),
  /** End the running wrap-up (Done), saving the draft given with it; resolves with the new agent state. */
  'wrapup.done': call(WrapUpDonePayload, AgentStatus),
  /** Stops a ringing line call from answering by itself (it keeps ringing). */
  'phone.cancelAutoAnswer': call(z.object({ callId: CallId }).strict(), Done),
  /** The lines this user may see (members: theirs; supervisors and admins: all). */
  'lines.list': call(Empty, LinesResponse),
  /** Watch these lines' live views (supervisors; `[]` stops); later snapshots arrive as `lines.view`. The host renews it after a reconnect. */
  'lines.watch': call(LineWatchPayload, z.object({ views: z.array(LineView) })),

  'directory.search': call(
    z.object({ q: z.string().max(64).default(''), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    DirectoryResponse,
  ),
  /** Online history, falling back to the offline cache. */
  'history.list': call(
    z.object({ limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional(), missedOnly: z.boolean().default(false) }).strict(),
    HistoryPage,
  ),
  /** The user saw the history: the missed count and badge reset, missed calls are acknowledged. */
  'history.opened': call(Empty, z.object({ missedCount: z.literal(0) })),
  'ice.servers': call(Empty, IceServersResponse),

  'settings.get': call(Empty, Settings),
  'settings.update': call(SettingsPatch, Settings),

  'host.info': call(Empty, HostInfo),
  'screen.sources': call(
    z.object({ types: z.array(z.enum(['screen', 'window'])).min(1).max(2).default(['screen', 'window']) }).strict(),
    z.object({ supported: z.boolean(), sources: z.array(ScreenSource) }),
  ),
  /** Gathers version, settings (no secrets), connection state and recent log lines. */
  'diagnostics.copy': call(Empty, z.object({ text: z.string(), copied: z.boolean() })),
  /** The prompt still waiting for an answer, if any (a link that arrived before this window listened). */
  'deepLink.pending': call(Empty, z.object({ prompt: DeepLinkPrompt.nullable() })),
  /** The answer to a deepLink.prompt: place the call (accept) or drop it. */
  'deepLink.confirm': call(
    z.object({ promptId: z.string().min(1).max(64), accept: z.boolean(), media: Media.default('audio') }).strict(),
    z.object({ call: CallViewSchema.nullable() }),
  ),
} as const;

export const bridgeEvents = {
  'phone.snapshot': BridgeSnapshot,
  'phone.signal': z.object({ callId: CallId, data: SignalData }),
  /** A call rings here. Every ring surface starts from this one event. */
  'phone.incoming': z.object({ call: CallViewSchema, ring: RingInstruction }),
  /** Every ring surface for this call stops now. */
  'phone.ringStopped': z.object({ callId: CallId, reason: z.union([EndReason, z.literal('answered')]) }),
  /**
   * The call is answered: start media. `initiator`: create the offer (the caller's side).
   * `restart`: this device had lost the call's media (a reload): ask the other side to start afresh too.
   */
  'phone.answered': z.object({ call: CallViewSchema, initiator: z.boolean(), localMedia: Media, restart: z.boolean() }),
  'phone.ended': z.object({ call: CallViewSchema }),
  /** New missed calls arrived (live or at reconnect); `missedCount` is the new badge number. */
  'phone.missed': z.object({ calls: z.array(MissedCall), missedCount: z.number().int().nonnegative() }),
  /** A user named in the last phone.subscribePresence changed presence (also sent after a reconnect). */
  'phone.presence': serverEvents['presence:changed'],
  'settings.changed': Settings,
  /** A deep link asks to call someone: show a prompt, never dial silently. */
  'deepLink.prompt': DeepLinkPrompt,
  /** A deep link could not be used: show the message. */
  'deepLink.error': z.object({ link: z.string().max(300), message: z.string().max(500) }),
  'shortcut.toggleMute': z.object({}),
  /** A snapshot of a watched line (lines.watch). */
  'lines.view': LineView,
} as const;

export type BridgeCalls = typeof bridgeCalls;
export type BridgeCallName = keyof BridgeCalls;
export type BridgeEventName = keyof typeof bridgeEvents;
/** What a caller passes (defaults may be omitted). */
export type CallRequestInput<N extends BridgeCallName> = z.input<BridgeCalls[N]['request']>;
/** What a handler receives (defaults applied). */
export type CallRequest<N extends BridgeCallName> = z.output<BridgeCalls[N]['request']>;
export type CallResult<N extends BridgeCallName> = z.output<BridgeCalls[N]['result']>;
export type EventPayload<E extends BridgeEventName> = z.output<(typeof bridgeEvents)[E]>;

export const BRIDGE_CALL_NAMES = Object.keys(bridgeCalls) as BridgeCallName[];
export const BRIDGE_EVENT_NAMES = Object.keys(bridgeEvents) as BridgeEventName[];

/** Renderer routes (hash routes) the hosts load. */
export const ROUTES = { main: '/', incoming: '/incoming' } as const;

/** The two IPC channels of the Electron adapter. */
export const BRIDGE_CHANNELS = { invoke: 'softphone:invoke', event: 'softphone:event' } as const;
