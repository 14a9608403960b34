import { BridgeError, BridgeEventHub, type BridgeSnapshot, type DeepLinkPrompt } from '../bridge';
import { applySettingsPatch, migrateSettings, SETTINGS_VERSION, type Settings, type SettingsPatch } from '../settings';
import type { CallView, EndReason, Media, MissedCall, PhoneCoreApi, PhoneSnapshot } from './deps';
import { parseDeepLink } from './deep-link';
import { DeepLinkPrompts } from './deep-link-prompts';
import { MissedCallTracker, missedNotifications } from './missed-calls';
import { powerSaveMode, type PowerSaveMode } from './power';
import { PresenceWatch, type PresenceUpdate } from './presence-watch';
import { RingCoordinator } from './ring-coordinator';
import { SessionManager } from './session-manager';
import { decideShortcut, runShortcutDecision, type ShortcutAction } from './shortcuts';
import { ChosenPresenceSync, type ChosenStatus } from './chosen-presence';
import { SIGNED_OUT, ringInstruction, ringPolicyOf } from './host-views';
import { hostStrings, type HostStrings } from './strings';
import { trayView, type AgentTrayCommand, type TrayView } from './tray-model';
import type { HostPorts, StoredSession } from './ports';

/**
 * The host's decisions, shared by the Electron main process and the web host: session,
 * settings, one PhoneCore per signed-in session, ring surfaces, missed calls, tray status,
 * deep links, shortcuts. Only the ports differ between hosts. Bridge handlers are in host-handlers.ts.
 */
export class HostCore {
  readonly events = new BridgeEventHub();
  readonly sessions: SessionManager;
  private readonly ring: RingCoordinator;
  private readonly missed = new MissedCallTracker();
  private readonly localMedia = new Map<string, Media>();
  private current: Settings | null = null;
  private phone: PhoneCoreApi | null = null;
  private detachPhone: (() => void)[] = [];
  private presence: PresenceWatch | null = null;
  private readonly chosenPresence: ChosenPresenceSync;
  private readonly prompts = new DeepLinkPrompts();
  private lastPower: PowerSaveMode = null;
  private lastTray = '';

  constructor(readonly ports: HostPorts) {
    this.ring = new RingCoordinator(ports.ringSurfaces, ports.log);
    this.sessions = new SessionManager(ports.http, ports.session, this.now, () => this.onSessionExpired(), ports.sessionTokens);
    this.chosenPresence = new ChosenPresenceSync(
      () => ({ status: this.settings.status, awayReason: this.settings.awayReason }),
      (chosen) => this.adoptStatus(chosen),
      ports.log,
    );
  }

  readonly now = (): number => this.ports.now?.() ?? Date.now();

  /** Loads settings and the remembered session; connects if signed in. */
  async start(): Promise<void> {
    const { settings, migratedFrom, resetFields } = migrateSettings(await this.ports.settings.load());
    this.current = settings;
    if (migratedFrom !== SETTINGS_VERSION || resetFields.length) {
      if (resetFields.length) this.ports.log.warn('settings fields reset to defaults', { resetFields });
      await this.ports.settings.save(settings);
    }
    await this.applySystem(settings, null);
    const session = await this.sessions.load();
    if (session) this.attachPhone(session);
    this.publish();
  }

  /** `keepResumable`: leave answered calls and calls waiting in a line to the server's resume grace (a web page reloading), see PhoneCoreApi.stop. */
  async stop(options: { keepResumable?: boolean } = {}): Promise<void> {
    await this.dropPhone('cancelled', options);
  }

  get settings(): Settings {
    if (!this.current) throw new BridgeError('INTERNAL', 'The host has not started.');
    return this.current;
  }

  get strings(): HostStrings {
    return hostStrings(this.current?.language ?? 'system', this.ports.systemLanguage?.());
  }

  /** PhoneCore's snapshot; the user is known from the session before the server confirms it. */
  snapshot(): PhoneSnapshot | null {
    const snapshot = this.phone?.snapshot();
    if (!snapshot) return null;
    return snapshot.user ? snapshot : { ...snapshot, user: this.sessions.session?.user ?? null };
  }

  bridgeSnapshot(): BridgeSnapshot {
    const snapshot = this.snapshot();
    return {
      ...(snapshot ?? SIGNED_OUT),
      localMedia: Object.fromEntries(this.localMedia),
      missedCount: this.missed.count,
      status: this.trayView().status,
    };
  }

  trayView(): TrayView {
    return trayView(this.snapshot(), { status: this.current?.status ?? 'available', awayReason: this.current?.awayReason ?? 'break' }, this.missed.count, this.strings);
  }

  requirePhone(): PhoneCoreApi {
    if (!this.phone) throw new BridgeError('NOT_SIGNED_IN', 'Sign in first.');
    return this.phone;
  }

  /** A call in progress that leaving the page would disturb: placed, ringing out, being answered or answered. */
  hasLiveCall(): boolean {
    return (this.snapshot()?.calls ?? []).some((call) => call.phase !== 'incoming' && call.phase !== 'ended');
  }

  hasActiveCall(): boolean {
    return (this.snapshot()?.calls ?? []).some((call) => call.phase === 'active' || call.phase === 'accepting');
  }

  // ---- session -------------------------------------------------------------------------------

  async signIn(session: Promise<StoredSession>): Promise<StoredSession> {
    const signedIn = await session;
    await this.dropPhone('cancelled');
    this.attachPhone(signedIn);
    this.publish();
    return signedIn;
  }

  async signOut(): Promise<void> {
    await this.dropPhone('cancelled');
    await this.sessions.logout();
    await this.ports.historyCache.clear();
    this.missed.reset();
    this.prompts.clear();
    this.publish();
  }

  private onSessionExpired(): void {
    void this.dropPhone('cancelled').then(() => this.publish());
  }

  private attachPhone(session: StoredSession): void {
    const phone = this.ports.createPhone({ serverUrl: session.serverUrl, tokens: this.sessions, ringPolicy: ringPolicyOf(this.settings) });
    this.phone = phone;
    this.presence = new PresenceWatch(phone, (update) => this.events.emit('phone.presence', update), this.ports.log);
    this.detachPhone = [
      ...this.presence.attach(),
      phone.on('snapshot', () => {
        this.publish();
        void this.chosenPresence.phoneChanged(phone);
      }),
      phone.on('incoming', (call) => this.onIncoming(call)),
      phone.on('ring-stopped', (callId, reason) => this.stopRinging(callId, reason)),
      phone.on('answered', (call, initiator, restart) => this.onAnswered(call, initiator, restart)),
      phone.on('ended', (call) => this.onEnded(call)),
      phone.on('signal', (callId, data) => this.events.emit('phone.signal', { callId, data })),
      phone.on('missed', (calls) => this.onMissed(calls)),
      phone.on('line-view', (view) => this.events.emit('lines.view', view)),
    ];
    phone.start();
  }

  private async dropPhone(reason: EndReason, options: { keepResumable?: boolean } = {}): Promise<void> {
    const phone = this.phone;
    for (const off of this.detachPhone) off();
    this.detachPhone = [];
    this.phone = null;
    this.presence = null;
    for (const callId of this.ring.stopAll(reason)) this.events.emit('phone.ringStopped', { callId, reason });
    this.localMedia.clear();
    if (phone) await phone.stop(options);
  }

  // ---- PhoneCore events ------------------------------------------------------------------------

  /** One PhoneCore event drives every ring surface; no renderer is waited for. */
  private onIncoming(call: CallView): void {
    const ring = ringInstruction(call, this.settings, this.phone?.snapshot().autoAnswer?.callId === call.callId);
    if (this.ring.isRinging(call.callId)) return;
    // The renderers get the caller first (IPC is asynchronous), then every surface starts in this same tick.
    this.events.emit('phone.incoming', { call, ring });
    this.ring.start(call, ring);
    this.publishStatus();
  }

  private stopRinging(callId: string, reason: EndReason | 'answered'): void {
    if (this.ring.stop(callId, reason)) this.events.emit('phone.ringStopped', { callId, reason });
    this.publishStatus();
  }

  private onAnswered(call: CallView, initiator: boolean, restart: boolean): void {
    this.stopRinging(call.callId, 'answered');
    if (!this.localMedia.has(call.callId)) this.localMedia.set(call.callId, call.direction === 'outgoing' ? call.media : 'audio');
    this.events.emit('phone.answered', { call, initiator, localMedia: this.localMedia.get(call.callId)!, restart });
    if (call.direction === 'incoming') this.ports.presentMain?.('answered');
  }

  private onEnded(call: CallView): void {
    this.stopRinging(call.callId, call.endReason ?? 'failed');
    this.localMedia.delete(call.callId);
    this.events.emit('phone.ended', { call });
    this.publish();
  }

  private onMissed(calls: MissedCall[]): void {
    const fresh = this.missed.add(calls);
    if (fresh.length === 0) return;
    this.ports.missed?.notify(missedNotifications(fresh, this.strings));
    this.ports.missed?.badge(this.missed.count);
    this.events.emit('phone.missed', { calls: fresh, missedCount: this.missed.count });
    this.publishStatus();
  }

  /** Emits the snapshot, stops rings the snapshot no longer shows, updates tray and power state. */
  publish(): void {
    const snapshot = this.snapshot();
    for (const { callId, reason } of this.ring.reconcile(snapshot)) this.events.emit('phone.ringStopped', { callId, reason });
    if (snapshot?.missedCalls.length) this.onMissed(snapshot.missedCalls);
    if (this.current) this.events.emit('phone.snapshot', this.bridgeSnapshot());
    this.publishStatus();
  }

  private publishStatus(): void {
    if (!this.current) return;
    const view = this.trayView();
    const key = JSON.stringify(view);
    if (key !== this.lastTray) {
      this.lastTray = key;
      this.ports.status?.(view);
    }
    const power = powerSaveMode(this.snapshot(), this.localMedia);
    if (power !== this.lastPower) {
      this.lastPower = power;
      this.ports.power?.(power);
    }
  }

  // ---- actions used by the handlers and by the host's own UI (tray, shortcuts, links) -----------

  async placeCall(to: string, media: Media): Promise<CallView> {
    const view = await this.requirePhone().call(to, media);
    this.localMedia.set(view.callId, media);
    this.publish();
    return view;
  }

  async answer(callId: string, withVideo: boolean): Promise<void> {
    const phone = this.requirePhone();
    const call = phone.snapshot().calls.find((c) => c.callId === callId);
    if (!call) throw new BridgeError('CALL_NOT_FOUND', 'This call is no longer ringing.');
    this.localMedia.set(callId, withVideo && call.media === 'video' ? 'video' : 'audio');
    try {
      await phone.answer(callId);
    } catch (error) {
      this.localMedia.delete(callId);
      throw error;
    }
  }

  /** "Let it ring": the line call no longer answers by itself, so the ringer switches from the auto-answer tone to the ringtone. */
  cancelAutoAnswer(callId: string): void {
    const phone = this.requirePhone();
    const call = phone.snapshot().calls.find((c) => c.callId === callId && c.phase === 'incoming');
    if (phone.cancelAutoAnswer(callId) && call) this.events.emit('phone.incoming', { call, ring: ringInstruction(call, this.settings, false) });
  }

  /** Replaces the users whose presence changes arrive as phone.presence; resolves with their statuses. */
  subscribePresence(userIds: string[]): Promise<{ presence: PresenceUpdate[] }> {
    this.requirePhone();
    return this.presence!.subscribe(userIds);
  }

  /** The user saw the history: reset the count and badge, acknowledge the missed calls. */
  async historyOpened(): Promise<void> {
    this.missed.reset();
    this.ports.missed?.badge(0);
    const ids = this.snapshot()?.missedCalls.map((call) => call.id) ?? [];
    if (ids.length && this.phone) {
      await this.phone.acknowledgeMissed(ids).catch((error: unknown) => this.ports.log.warn('acknowledging missed calls failed', { error: String(error) }));
    }
    this.publish();
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    const previous = this.settings;
    const next = applySettingsPatch(previous, patch);
    // A status or away reason the user picks is sent even when it equals the setting: the server may hold another (a missed offer).
    if (patch.status !== undefined || (next.status === 'away' && patch.awayReason !== undefined)) this.chosenPresence.choosing();
    try {
      await this.applySystem(next, previous);
    } catch (error) {
      await this.applySystem(previous, next).catch(() => undefined);
      throw error;
    }
    this.current = next;
    await this.ports.settings.save(next);
    const session = this.sessions.session;
    if (session && session.serverUrl !== next.serverUrl) await this.signOut();
    this.phone?.setRingPolicy(ringPolicyOf(next));
    await this.chosenPresence.flush(this.phone);
    this.events.emit('settings.changed', next);
    this.publish();
    return next;
  }

  private async applySystem(next: Settings, previous: Settings | null): Promise<void> {
    await this.ports.applySystemSettings?.(next, previous);
  }

  /** A status chosen on another of this user's devices: saved here without sending it back. */
  private async adoptStatus(chosen: Partial<ChosenStatus>): Promise<void> {
    const next = applySettingsPatch(this.settings, chosen);
    this.current = next;
    await this.ports.settings.save(next);
    this.phone?.setRingPolicy(ringPolicyOf(next));
    this.events.emit('settings.changed', next);
    this.publish();
  }

  toggleDnd(): Promise<Settings> {
    return this.updateSettings({ status: this.settings.status === 'dnd' ? 'available' : 'dnd' });
  }

  /** An agent's tray item (issue 14). */
  async runAgentCommand(command: AgentTrayCommand): Promise<void> {
    if (command.kind === 'finish-wrap-up') await this.requirePhone().finishWrapUp(command.callId);
    else await this.updateSettings(command.awayReason ? { status: command.status, awayReason: command.awayReason } : { status: command.status });
  }

  /** Do not disturb is on (the tray's check mark). */
  dndOn(): boolean {
    return this.settings.status === 'dnd';
  }

  /** A link arrived (second instance, open-url, page URL): validate it and ask; never dial. */
  handleDeepLink(link: string): DeepLinkPrompt | null {
    const parsed = parseDeepLink(link, this.settings.deepLinks);
    this.ports.presentMain?.('deep-link');
    if (!parsed.ok || !this.phone) {
      const message = parsed.ok ? `Sign in to call ${parsed.username}.` : parsed.message;
      this.events.emit('deepLink.error', { link: String(link).slice(0, 300), message });
      return null;
    }
    const prompt = this.prompts.open(parsed.username, parsed.scheme, parsed.media);
    this.events.emit('deepLink.prompt', prompt);
    return prompt;
  }

  pendingPrompt(): DeepLinkPrompt | null {
    return this.prompts.pending;
  }

  async confirmDeepLink(promptId: string, accept: boolean, media: Media): Promise<CallView | null> {
    const prompt = this.prompts.take(promptId);
    return accept ? this.placeCall(prompt.username, media) : null;
  }

  runShortcut(action: ShortcutAction): Promise<void> {
    return runShortcutDecision(decideShortcut(action, this.snapshot()), {
      answer: (callId) => this.answer(callId, false),
      decline: (callId) => this.requirePhone().decline(callId),
      end: (callId) => this.requirePhone().end(callId),
      toggleMute: () => this.events.emit('shortcut.toggleMute', {}),
      setStatus: (status) => this.updateSettings({ status }),
      finishWrapUp: (callId) => this.requirePhone().finishWrapUp(callId),
      showWrapUp: () => this.ports.presentMain?.('wrap-up'),
    });
  }

  /** Wake, unlock or a network change: re-check the connection at once. */
  async checkConnection(): Promise<void> {
    await this.phone?.checkConnection().catch((error: unknown) => this.ports.log.warn('connection check failed', { error: String(error) }));
  }
}
