import { unwrap, type SoftphoneBridge } from '../../../shared/bridge';
import type { SignalData } from '../../../shared/protocol';
import type { Settings } from '../../../shared/settings';
import { CallSession, type CallMediaView } from './call-session';

/** Signals that arrive before the call's session exists (ICE servers and devices load first). */
const MAX_BUFFERED_SIGNALS = 200;

/**
 * The media of every call in this window, driven by bridge events: `phone.answered` opens a
 * session, `phone.signal` feeds it, `phone.snapshot` applies hold, `phone.ended` closes it. A
 * session whose media cannot recover ends its call with reason media-failed.
 */
export class CallMedia {
  private readonly sessions = new Map<string, CallSession>();
  private readonly buffered = new Map<string, SignalData[]>();
  private readonly failures = new Map<string, string>();
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: (() => void)[] = [];
  private views: CallMediaView[] = [];
  private settings: Settings | null = null;

  constructor(private readonly bridge: SoftphoneBridge) {}

  start(settings: Settings): void {
    this.settings = settings;
    const onNetworkChange = () => this.networkChanged();
    const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
    window.addEventListener('online', onNetworkChange);
    connection?.addEventListener('change', onNetworkChange);
    this.unsubscribers.push(
      () => window.removeEventListener('online', onNetworkChange),
      () => connection?.removeEventListener('change', onNetworkChange),
      this.bridge.on('phone.answered', ({ call, initiator, localMedia }) => void this.open(call.callId, initiator, localMedia)),
      this.bridge.on('phone.signal', ({ callId, data }) => this.signal(callId, data)),
      this.bridge.on('phone.ended', ({ call }) => this.close(call.callId)),
      this.bridge.on('phone.snapshot', (snapshot) => {
        for (const call of snapshot.calls) this.sessions.get(call.callId)?.setPaused(call.held || call.remoteHeld);
        const live = new Set(snapshot.calls.map((c) => c.callId));
        for (const callId of [...this.sessions.keys()]) if (!live.has(callId)) this.close(callId);
      }),
      this.bridge.on('settings.changed', (next) => void this.applyDevices(next)),
      this.bridge.on('shortcut.toggleMute', () => {
        const current = this.views.find((v) => !v.paused);
        if (current) this.setMuted(current.callId, !current.muted);
      }),
    );
  }

  stop(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    for (const callId of [...this.sessions.keys()]) this.close(callId);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getViews = (): CallMediaView[] => this.views;

  /** Why opening the media of a call failed (devices refused), for the in-call screen. */
  failureOf(callId: string): string | null {
    return this.failures.get(callId) ?? null;
  }

  session(callId: string): CallSession | undefined {
    return this.sessions.get(callId);
  }

  setMuted(callId: string, muted: boolean): void {
    this.sessions.get(callId)?.setMuted(muted);
  }

  async setCameraOn(callId: string, on: boolean): Promise<void> {
    await this.sessions.get(callId)?.setCameraOn(on, this.settings?.devices.cameraId ?? null);
  }

  async startScreenShare(callId: string, track: MediaStreamTrack): Promise<void> {
    const session = this.sessions.get(callId);
    if (!session) {
      track.stop();
      return;
    }
    await session.startScreenShare(track);
  }

  async stopScreenShare(callId: string): Promise<void> {
    await this.sessions.get(callId)?.stopScreenShare();
  }

  private async open(callId: string, initiator: boolean, localMedia: 'audio' | 'video'): Promise<void> {
    if (this.sessions.has(callId)) return;
    if (!this.buffered.has(callId)) this.buffered.set(callId, []); // marks the call as opening; close() clears it
    const settings = this.settings;
    try {
      const ice = unwrap(await this.bridge.invoke('ice.servers', {}));
      const session = await CallSession.open({
        callId,
        initiator,
        localMedia,
        iceServers: ice.iceServers,
        microphoneId: settings?.devices.microphoneId ?? null,
        cameraId: settings?.devices.cameraId ?? null,
        sendSignal: (data) => void this.bridge.invoke('phone.signal', { callId, data }),
        onChange: () => this.changed(),
        onFailed: () => void this.bridge.invoke('phone.end', { callId, reason: 'media-failed' }),
      });
      if (!this.buffered.has(callId)) {
        session.close(); // the call ended while the devices were opening
        return;
      }
      this.sessions.set(callId, session);
      for (const data of this.buffered.get(callId) ?? []) session.signal(data);
      this.buffered.delete(callId);
      this.changed();
    } catch (error) {
      this.failures.set(callId, error instanceof Error ? error.message : String(error));
      this.changed();
      await this.bridge.invoke('phone.end', { callId, reason: 'media-failed' });
    }
  }

  private signal(callId: string, data: SignalData): void {
    const session = this.sessions.get(callId);
    if (session) {
      session.signal(data);
      return;
    }
    const queue = this.buffered.get(callId) ?? [];
    if (queue.length < MAX_BUFFERED_SIGNALS) queue.push(data);
    this.buffered.set(callId, queue);
  }

  private close(callId: string): void {
    this.buffered.delete(callId);
    const session = this.sessions.get(callId);
    if (!session) return;
    this.sessions.delete(callId);
    session.close();
    this.changed();
  }

  private networkChanged(): void {
    for (const session of this.sessions.values()) session.networkChanged();
    void this.bridge.invoke('phone.checkConnection', {});
  }

  /** A device chosen in settings (or in the call's device menu) applies to live calls at once. */
  private async applyDevices(next: Settings): Promise<void> {
    const previous = this.settings;
    this.settings = next;
    for (const session of this.sessions.values()) {
      if (previous?.devices.microphoneId !== next.devices.microphoneId) await session.switchMicrophone(next.devices.microphoneId).catch(() => undefined);
      if (previous?.devices.cameraId !== next.devices.cameraId) await session.switchCamera(next.devices.cameraId).catch(() => undefined);
    }
  }

  private changed(): void {
    this.views = [...this.sessions.values()].map((s) => ({ ...s.view }));
    for (const listener of [...this.listeners]) listener();
  }
}
