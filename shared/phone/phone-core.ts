import type {
  AgentStatus,
  ChosenAwayReason,
  ChosenPresence,
  IncomingCall,
  LineView,
  Media,
  PresenceStatus,
  RejectReason,
  ServerPayload,
  SignalData,
  TransferMode,
  TransferView,
  UserIdentity,
  WrapUpDraft,
  WrapUpTask,
} from '../protocol';
import type { CallEventInput } from '../call/types';
import { applyTransfer, legHeld, pruneTransfers, resumeTransfers } from '../call/transfer-model';
import type { CallView, ConnectionState, PhoneCoreApi, PhoneEvents, PhoneSnapshot, RingPolicy, TransferAction } from './api';
import { AgentSession } from './agent-session';
import { AutoAnswerTimer, shouldAutoAnswer, type AutoAnswerOffer } from './auto-answer';
import { DEFAULT_BACKOFF } from './backoff';
import type { BackoffOptions } from './backoff';
import { CallDriver } from './call-driver';
import { ConnectionSupervisor } from './connection-supervisor';
import { Emitter } from './emitter';
import { PhoneError } from './errors';
import { MissedCalls } from './missed-calls';
import type { Clock, Logger, Notifier, PhoneStore, TokenProvider } from './ports';
import { silentLogger } from './ports';
import { planReconcile } from './reconcile';
import { RelayedSignals } from './relayed-signals';
import { decideRing, normalizeRingPolicy } from './ring-policy';
import { listen, request, type RequestResult } from './wire';
import type { Transport } from './transport';

export interface PhoneCoreOptions {
  transport: Transport;
  clock: Clock;
  store: PhoneStore;
  notifier: Notifier;
  auth: TokenProvider;
  logger?: Logger;
  /** Overrides the stored device id (which is created and saved on first start otherwise). */
  deviceId?: string;
  /** For jitter and new device ids; Math.random by default. */
  random?: () => number;
  /** Backoff for the reconnects socket.io does not do itself; use the same values as the transport's. */
  backoff?: Partial<BackoffOptions>;
  timeouts?: { ackMs?: number; pingMs?: number; checkMs?: number; stopMs?: number };
  /**
   * After a reconnect, take back an answered call of this device that this device does not know
   * (a reloaded page, a restarted app) instead of hanging it up: its media restarts on both sides.
   * For hosts that run media; off by default (the bot has none).
   */
  adoptAnsweredCalls?: boolean;
}

type DispatchInput = CallEventInput;

/** The headless phone: signalling session, call registry and ring policy, driven through ports. */
export class PhoneCore implements PhoneCoreApi {
  readonly deviceId: string;
  private readonly events: Emitter<PhoneEvents>;
  private readonly logger: Logger;
  private readonly driver: CallDriver;
  private readonly supervisor: ConnectionSupervisor;
  private readonly missed: MissedCalls;
  private readonly lines: AgentSession;
  private readonly autoAnswer: AutoAnswerTimer;
  private readonly unsubscribers: Array<() => void> = [];
  private readonly ackMs: number;
  private readonly stopMs: number;
  private policy: RingPolicy;
  private user: UserIdentity | null = null;
  private presence: PresenceStatus = 'offline';
  private started = false;
  /** Server clock minus this clock, measured at each session:ready (ms). */
  private serverOffsetMs = 0;
  /** Drops copies of relayed signals (the server sends unacknowledged ones again after a reconnect). */
  private readonly relayed = new RelayedSignals();
  /** This device's transfers as the server last told them (see shared/call/transfer-model.ts). */
  private transfers: TransferView[] = [];

  constructor(private readonly o: PhoneCoreOptions) {
    this.logger = o.logger ?? silentLogger;
    this.events = new Emitter<PhoneEvents>(this.logger);
    const random = o.random ?? Math.random;
    this.deviceId = o.deviceId ?? o.store.loadDeviceId() ?? newDeviceId(random);
    o.store.saveDeviceId(this.deviceId);
    this.policy = normalizeRingPolicy(o.store.loadRingPolicy());
    this.ackMs = o.timeouts?.ackMs ?? 10_000;
    this.stopMs = o.timeouts?.stopMs ?? 2_000;
    const changed = () => this.emitSnapshot();
    const toLocal = (serverTime: string) => Date.parse(serverTime) - this.serverOffsetMs;
    this.driver = new CallDriver({
      transport: o.transport,
      clock: o.clock,
      notifier: o.notifier,
      logger: this.logger,
      events: this.events,
      ackTimeoutMs: this.ackMs,
      isOnline: () => this.supervisor.current().status === 'online',
      toLocal,
      onChange: changed,
    });
    this.missed = new MissedCalls(o.notifier, this.events, changed);
    this.lines = new AgentSession(o.transport, this.ackMs, this.events, this.logger, changed);
    this.autoAnswer = new AutoAnswerTimer(o.clock, changed);
    this.supervisor = new ConnectionSupervisor({
      transport: o.transport,
      clock: o.clock,
      auth: o.auth,
      logger: this.logger,
      deviceId: this.deviceId,
      backoff: { ...DEFAULT_BACKOFF, ...o.backoff },
      random,
      pingTimeoutMs: o.timeouts?.pingMs ?? 3_000,
      renewTimeoutMs: this.ackMs,
      toLocal,
      checkTimeoutMs: o.timeouts?.checkMs ?? 5_000,
      stableAfterMs: 10_000,
      onState: (state) => {
        this.events.emit('connection', state);
        this.emitSnapshot();
      },
    });
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.subscribe();
    this.supervisor.start();
  }

  /**
   * Hangs up this device's calls that are not just ringing in (bounded wait), then disconnects.
   * With `keepResumable`, answered calls and calls waiting in a line are left to the server's resume grace (see PhoneCoreApi.stop).
   */
  async stop(options: { keepResumable?: boolean } = {}): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.autoAnswer.cancel();
    for (const call of this.driver.list()) {
      const resumable = call.phase === 'active' || (call.phase === 'calling' && call.queue !== null);
      if (call.phase === 'incoming' || (options.keepResumable && resumable)) continue;
      this.driver.dispatch(call.id, { type: 'hangup', reason: 'hangup' });
    }
    let timer: unknown;
    await Promise.race([this.driver.settle(), new Promise((resolve) => (timer = this.o.clock.setTimeout(() => resolve(null), this.stopMs)))]);
    this.o.clock.clearTimeout(timer);
    this.unsubscribers.splice(0).forEach((u) => u());
    this.supervisor.stop();
  }

  checkConnection(): Promise<ConnectionState> {
    return this.supervisor.check();
  }

  async call(to: string, media: Media): Promise<CallView> {
    const localId = `local-${newDeviceId(this.o.random ?? Math.random)}`;
    const [ack] = await this.act(localId, { type: 'dial', to, media }, 'new');
    if (!ack?.ok) throw PhoneError.from(ack ? ack.error : { code: 'INTERNAL', message: 'no invite sent' });
    const callId = (ack.value as { callId: string }).callId;
    const view = this.driver.view(callId);
    if (!view) throw new PhoneError('INTERNAL', `call ${callId} vanished`);
    return view;
  }

  async answer(callId: string): Promise<void> {
    await this.act(callId, { type: 'answer' }, 'acked');
  }

  /** Resolves once the call is over here; a lost acknowledgement is only logged (the server reconciles). */
  async decline(callId: string, reason: RejectReason = 'declined'): Promise<void> {
    await this.act(callId, { type: 'decline', reason }, 'exists');
  }

  /** Resolves once the call is over here; a lost acknowledgement is only logged (the server reconciles). */
  async end(callId: string, reason: 'hangup' | 'media-failed' = 'hangup', options: { mediaLastSeenAt?: number } = {}): Promise<void> {
    const mediaLastSeenAt = options.mediaLastSeenAt === undefined ? undefined : new Date(options.mediaLastSeenAt + this.serverOffsetMs).toISOString();
    await this.act(callId, { type: 'hangup', reason, ...(mediaLastSeenAt ? { mediaLastSeenAt } : {}) }, 'exists');
  }

  async hold(callId: string, held: boolean): Promise<void> {
    await this.act(callId, { type: 'hold', held }, 'acked');
  }

  async mute(callId: string, muted: boolean): Promise<void> {
    await this.act(callId, { type: 'mute', muted }, 'exists');
  }

  async sendSignal(callId: string, data: SignalData): Promise<void> {
    await this.act(callId, { type: 'signal-out', data }, 'acked');
  }

  async acknowledgeMissed(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const ack = await request(this.o.transport, 'missed:ack', { ids }, this.ackMs);
    if (!ack.ok) throw PhoneError.from(ack.error);
    this.missed.remove(ids);
  }

  setRingPolicy(policy: RingPolicy): void {
    this.policy = normalizeRingPolicy(policy);
    this.o.store.saveRingPolicy(this.policy);
  }

  ringPolicy(): RingPolicy {
    return { ...this.policy, blocklist: [...this.policy.blocklist] };
  }

  async setPresence(status: ChosenPresence, reason?: ChosenAwayReason): Promise<void> {
    const ack = await request(this.o.transport, 'presence:set', status === 'away' && reason ? { status, reason } : { status }, this.ackMs);
    if (!ack.ok) throw PhoneError.from(ack.error);
    this.presence = ack.value.status;
    this.emitSnapshot();
  }

  async transfer(callId: string, to: string, mode: TransferMode): Promise<TransferView> {
    if (!this.driver.has(callId)) throw new PhoneError('CALL_NOT_FOUND', `no live call ${callId} on this device`);
    return this.transferUpdated(await request(this.o.transport, 'call:transfer', { callId, to, mode }, this.ackMs));
  }

  async transferAction(transferId: string, action: TransferAction): Promise<TransferView> {
    const t = this.o.transport;
    const ack =
      action === 'merge' || action === 'split'
        ? await request(t, 'transfer:merge', { transferId, merged: action === 'merge' }, this.ackMs)
        : await request(t, `transfer:${action}`, { transferId }, this.ackMs);
    return this.transferUpdated(ack);
  }

  private transferUpdated(ack: RequestResult<'transfer:swap'>): TransferView {
    if (!ack.ok) throw PhoneError.from(ack.error);
    this.onTransfer(ack.value.transfer);
    return ack.value.transfer;
  }

  /**
   * A transfer changed. A consult's leg is a call of this device the server placed: it is created here
   * when the server names it, and the server's call events drive it from then on. (After a reconnect,
   * session:ready's activeCalls bring an answered leg back instead.) A blind leg is not shown as a call.
   */
  private onTransfer(view: TransferView): void {
    this.transfers = applyTransfer(this.transfers, view);
    const leg = view.legCallId;
    if (view.kind === 'consult' && view.state === 'ringing' && leg && !this.driver.has(leg) && !this.driver.wasEnded(leg)) {
      this.driver.dispatch(leg, { type: 'leg-started', to: view.target, media: 'audio' });
    }
    this.emitSnapshot();
  }

  saveWrapUp(callId: string, draft: WrapUpDraft): Promise<WrapUpTask> {
    return this.lines.saveWrapUp(callId, draft);
  }

  finishWrapUp(callId: string, draft?: Partial<WrapUpDraft>): Promise<AgentStatus> {
    return this.lines.finishWrapUp(callId, draft);
  }

  cancelAutoAnswer(callId: string): boolean {
    return this.autoAnswer.cancel(callId);
  }

  /**
   * A line call is about to ring: with auto-answer on and the rule met, the countdown starts before the
   * ring does (so the 'incoming' event's snapshot shows it), and the rule is checked again when it ends.
   */
  private considerAutoAnswer(offer: AutoAnswerOffer): void {
    const enabled = () => this.policy.autoAnswerLineCalls === true;
    if (!shouldAutoAnswer(enabled(), offer, this.lines.agent, this.snapshotCalls())) return;
    this.autoAnswer.schedule(offer.callId, (callId) => {
      const view = this.driver.view(callId);
      if (view?.phase !== 'incoming' || !shouldAutoAnswer(enabled(), view, this.lines.agent, this.snapshotCalls())) {
        return this.logger.info('auto-answer: skipped, the call or the agent changed', { callId });
      }
      this.answer(callId).catch((error: unknown) => this.logger.warn('auto-answer failed', { callId, error: String(error) }));
    });
  }

  private snapshotCalls(): CallView[] {
    return this.driver.list().flatMap((c) => {
      const view = this.driver.view(c.id);
      return view ? [view] : [];
    });
  }

  watchLines(lineIds: string[]): Promise<LineView[]> {
    return this.lines.watchLines(lineIds);
  }

  async subscribePresence(userIds: string[]): Promise<Array<{ userId: string; status: PresenceStatus }>> {
    const ack = await request(this.o.transport, 'presence:subscribe', { userIds }, this.ackMs);
    if (!ack.ok) throw PhoneError.from(ack.error);
    return ack.value.presence;
  }

  snapshot(): PhoneSnapshot {
    const calls = this.snapshotCalls();
    this.transfers = pruneTransfers(this.transfers, new Set(calls.map((c) => c.callId)));
    const transfers = this.transfers;
    return {
      connection: this.supervisor.current(),
      user: this.user,
      deviceId: this.deviceId,
      presence: this.presence,
      // A leg the open transfer holds is held here too (the server holds the other side): one rule for the media.
      calls: calls.map((view) => (legHeld(transfers, view.callId) ? { ...view, held: true } : view)),
      missedCalls: this.missed.list(),
      transfers: [...transfers],
      roles: this.lines.roles,
      agent: this.lines.agent,
      autoAnswer: this.pendingAutoAnswer(calls),
    };
  }

  /** The running auto-answer, shown only while its call still rings. */
  private pendingAutoAnswer(calls: CallView[]) {
    const pending = this.autoAnswer.view;
    return pending && calls.some((c) => c.callId === pending.callId && c.phase === 'incoming') ? pending : null;
  }

  on<E extends keyof PhoneEvents>(event: E, listener: PhoneEvents[E]): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Runs a user action through the model; an illegal one is refused with the model's reason.
   * 'new': creates the call; 'exists': the call must exist; 'acked': it must exist and the server must acknowledge.
   */
  private async act(callId: string, input: DispatchInput, mode: 'new' | 'exists' | 'acked') {
    if (mode !== 'new' && !this.driver.has(callId)) throw new PhoneError('CALL_NOT_FOUND', `no live call ${callId} on this device`);
    const { transition, settled } = this.driver.dispatch(callId, input);
    if (transition.ignored) throw new PhoneError('INVALID_STATE', transition.ignored);
    const results = await settled;
    const failed = mode === 'acked' ? results.find((r) => !r.ok) : undefined;
    if (failed && !failed.ok) throw PhoneError.from(failed.error);
    return results;
  }

  private subscribe(): void {
    const t = this.o.transport;
    const log = this.logger;
    const server = (callId: string, event: DispatchInput) => this.driver.fromServer(callId, event);
    this.unsubscribers.push(
      listen(t, 'session:ready', log, (ready) => this.onReady(ready)),
      listen(t, 'session:shutdown', log, (p) => this.supervisor.serverShutdown(p.reconnectAfterMs)),
      listen(t, 'session:closed', log, (p) => this.supervisor.serverClosed(p.error)),
      listen(t, 'call:incoming', log, (call) => this.ring(call)),
      listen(t, 'call:ringing', log, (p) => server(p.callId, { type: 'remote-ringing', silent: p.silent })),
      listen(t, 'call:accepted', log, (p) => server(p.callId, { type: 'remote-accepted', by: p.by, deviceId: p.deviceId })),
      listen(t, 'call:ended', log, (p) => server(p.callId, { type: 'remote-ended', reason: p.reason, ...(p.by ? { by: p.by } : {}) })),
      listen(t, 'call:signal', log, (p) => this.signalIn(p)),
      listen(t, 'call:hold', log, (p) => server(p.callId, { type: 'remote-hold', held: p.held })),
      listen(t, 'call:mute', log, (p) => server(p.callId, { type: 'remote-mute', muted: p.muted })),
      listen(t, 'call:peer-connection', log, (p) => server(p.callId, { type: 'peer-connection', connected: p.connected })),
      listen(t, 'missed:calls', log, (p) => this.missed.received(p.calls)),
      listen(t, 'presence:changed', log, (p) => this.presenceChanged(p)),
      listen(t, 'transfer:updated', log, (view) => this.onTransfer(view)),
      listen(t, 'call:replaced', log, (p) => this.driver.replace(p.oldCallId, { type: 'transferred-in', call: p.call, by: p.by })),
      listen(t, 'call:queued', log, (p) => this.driver.replace(p.oldCallId, { type: 'queued-in', queued: p.queued, by: p.by, why: p.why })),
      listen(t, 'call:conference', log, (p) => server(p.callId, { type: 'conference', conference: p.conference })),
      listen(t, 'agent:status', log, (agent) => this.agentStatus(agent)),
      listen(t, 'line:view', log, (view) => this.lines.view(view)),
      listen(t, 'line:queue-status', log, (p) => server(p.callId, { type: 'queue-status', queue: p.queue })),
    );
  }

  /** A relayed signal, once (see RelayedSignals). */
  private signalIn(signal: ServerPayload<'call:signal'>): void {
    if (this.relayed.accept(signal)) this.driver.fromServer(signal.callId, { type: 'signal-in', data: signal.data });
    else this.logger.debug('dropped a call:signal already received', { callId: signal.callId, seq: signal.seq });
  }

  private presenceChanged({ userId, status }: ServerPayload<'presence:changed'>): void {
    // This user's own status, chosen on another of its devices (busy, derived from a call, is not a choice to show).
    const chosen = status === 'online' || status === 'dnd' || status === 'away';
    if (userId === this.user?.userId && chosen && status !== this.presence) {
      this.presence = status;
      this.emitSnapshot();
    }
    this.events.emit('presence', userId, status);
  }

  /** The agent's state changed; its chosen part is this user's presence (a missed offer sets away) unless a call shows busy. */
  private agentStatus(agent: AgentStatus): void {
    if (agent.state !== 'busy' && this.presence !== 'busy') this.presence = agent.chosen;
    this.lines.status(agent);
  }

  private onReady(ready: ServerPayload<'session:ready'>): void {
    this.serverOffsetMs = Date.parse(ready.serverTime) - this.o.clock.now();
    this.user = ready.user;
    this.presence = ready.presence;
    this.missed.sessionStarted();
    this.transfers = resumeTransfers(this.transfers, ready.transfers);
    this.lines.ready(ready);
    const at = new Date(this.o.clock.now()).toISOString();
    const plan = planReconcile(this.driver.list(), ready, at, (id) => this.driver.wasEnded(id), { adoptAnswered: this.o.adoptAnsweredCalls === true });
    for (const action of plan) {
      if (action.kind === 'event') this.driver.dispatch(action.callId, action.event);
      else if (action.kind === 'incoming') this.ring(action.call);
      else {
        this.logger.info(`reconcile: ${action.message.event} (${action.why})`, { callId: action.message.payload });
        void request(this.o.transport, action.message.event, action.message.payload as never, this.ackMs);
      }
    }
    this.supervisor.markReady(ready.accessTokenExpiresAt);
    this.driver.flushOutbox();
    this.emitSnapshot();
  }

  private ring(call: IncomingCall): void {
    if (this.driver.has(call.callId) || this.driver.wasEnded(call.callId)) {
      this.logger.info('ignored: call:incoming for a call this device already has', { callId: call.callId });
      return;
    }
    const decision = decideRing(this.policy, call.from, this.driver.inAnotherCall());
    if (decision.action === 'ring') {
      this.considerAutoAnswer({ callId: call.callId, line: call.line ?? null, context: call.context ?? null, silent: decision.silent, waiting: decision.waiting });
    }
    this.driver.dispatch(call.callId, { type: 'incoming', call, decision });
  }

  private emitSnapshot(): void {
    this.events.emit('snapshot', this.snapshot());
  }
}

export function createPhoneCore(options: PhoneCoreOptions): PhoneCore {
  return new PhoneCore(options);
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A 22-character id from [A-Za-z0-9] (matches the DeviceId schema). Not a secret. */
function newDeviceId(random: () => number): string {
  return Array.from({ length: 22 }, () => ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length)]).join('');
}
