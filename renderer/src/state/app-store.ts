import { unwrap, type BridgeSnapshot, type HostInfo, type SessionInfo, type SoftphoneBridge, type DeepLinkPrompt } from '../../../shared/bridge';
import type { Media } from '../../../shared/protocol';
import type { Settings } from '../../../shared/settings';

/** A call that could not be placed, kept here because the screen that placed it is replaced while the invite is out. */
export interface CallFailure {
  to: string;
  media: Media;
  code: string;
  message: string;
  /** Where it was placed from: the dial box, or a list (contacts, history). */
  origin: 'dial' | 'list';
}

export interface AppState {
  snapshot: BridgeSnapshot | null;
  settings: Settings | null;
  session: SessionInfo | null;
  host: HostInfo | null;
  deepLink: DeepLinkPrompt | null;
  deepLinkError: string | null;
  callFailure: CallFailure | null;
}

/**
 * What the screens show, kept up to date from bridge events. One store per window; React reads it
 * through useSyncExternalStore, so every screen sees the same state.
 */
export class AppStore {
  private state: AppState = { snapshot: null, settings: null, session: null, host: null, deepLink: null, deepLinkError: null, callFailure: null };
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(readonly bridge: SoftphoneBridge) {}

  /** Loads the initial state and follows changes. */
  async start(): Promise<void> {
    this.unsubscribers.push(
      this.bridge.on('phone.snapshot', (snapshot) => this.set({ snapshot })),
      this.bridge.on('settings.changed', (settings) => this.set({ settings })),
      this.bridge.on('deepLink.prompt', (deepLink) => this.set({ deepLink })),
      this.bridge.on('deepLink.error', ({ message }) => this.set({ deepLinkError: message })),
    );
    const [host, settings, session, snapshot, pending] = await Promise.all([
      this.bridge.invoke('host.info', {}),
      this.bridge.invoke('settings.get', {}),
      this.bridge.invoke('auth.session', {}),
      this.bridge.invoke('phone.snapshot', {}),
      this.bridge.invoke('deepLink.pending', {}),
    ]);
    this.set({
      host: unwrap(host),
      settings: unwrap(settings),
      session: unwrap(session),
      snapshot: unwrap(snapshot),
      deepLink: pending.ok ? pending.value.prompt : null,
    });
  }

  stop(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }

  get current(): AppState {
    return this.state;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): AppState => this.state;

  set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  /** After sign-in / sign-out the session changes; re-read it and the snapshot. */
  async refreshSession(): Promise<void> {
    const [session, snapshot] = await Promise.all([this.bridge.invoke('auth.session', {}), this.bridge.invoke('phone.snapshot', {})]);
    this.set({ session: unwrap(session), snapshot: unwrap(snapshot) });
  }
}
