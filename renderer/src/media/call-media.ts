import type { BridgeSnapshot, SoftphoneBridge } from '../../../shared/bridge';
import type { CallView } from '../../../shared/phone/api';
import type { SignalData } from '../../../shared/protocol';
import type { Settings } from '../../../shared/settings';
import { CallSession, type CallMediaView } from './call-session';
import { ConferenceError, ConferenceHub, type ConferenceView } from './conference-hub';
import { ConferenceSync } from './conference-sync';
import type { SignallingState } from './peer-link';

/** Signals that arrive before the call's session exists (ICE servers and devices load first). */
const MAX_BUFFERED_SIGNALS = 200;

/**
 * The media of every call in this window, driven by bridge events: `phone.answered` opens a
 * session, `phone.signal` feeds it, `phone.snapshot` applies hold, mute and the signalling state,
 * `phone.ended` closes it. A session whose media cannot connect or recover ends its call with
 * reason media-failed. Two of its calls can be merged into a three-way call hosted here (ConferenceHub).
 */
export class CallMedia {
  private readonly sessions = new Map<string, CallSession>();
  private readonly buffered = new Map<string, SignalData[]>();
  private readonly failures = new Map<string, string>();
  /** When each call's media first connected (kept after the call ends, for its summary). */
  private readonly talkStarts = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: (() => void)[] = [];
  private views: CallMediaView[] = [];
  private settings: Settings | null = null;
  private snapshot: BridgeSnapshot | null = null;
  /** The last ICE servers the service gave: a call answered while it is unreachable still gets them. */
  private iceServers: RTCIceServer[] = [];
  /** The three-way call this window hosts, if any (a leg that ends ends it). */
  private readonly conference = new ConferenceHub({ onChange: () => this.changed() });
  /** The hub follows the server's transfers (a merged transfer is a three-way call here). */
  private readonly conferenceSync = new ConferenceSync({
    conference: () => this.conference.view,
    hasMedia: (callId) => this.sessions.has(callId),
    merge: (a, b) => this.merge(a, b),
    unmerge: () => this.unmerge(),
    refused: (transfer, error) => {
      console.warn(`three-way call not possible here (${error instanceof ConferenceError ? error.code : String(error)}): splitting it`);
      void this.bridge.invoke('phone.transferAction', { transferId: transfer.transferId, action: 'split' });
    },
  });

  constructor(private readonly bridge: SoftphoneBridge) {}

  start(settings: Settings, snapshot: BridgeSnapshot | null): void {
    this.settings = settings;
    this.snapshot = snapshot;
    const onNetworkChange = () => this.networkChanged();
    const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
    window.addEventListener('online', onNetworkChange);
    connection?.addEventListener('change', onNetworkChange);
    this.unsubscribers.push(
      () => window.removeEventListener('online', onNetworkChange),
      () => connection?.removeEventListener('change', onNetworkChange),
      this.bridge.on('phone.answered', ({ call, initiator, localMedia, restart }) =>
        void this.open(call.callId, initiator, localMedia, restart && call.answeredAt ? { answeredAt: Date.parse(call.answeredAt) } : null),
      ),
      this.bridge.on('phone.signal', ({ callId, data }) => this.signal(callId, data)),
      this.bridge.on('phone.ended', ({ call }) => this.close(call.callId)),
      this.bridge.on('phone.snapshot', (snapshot) => this.applySnapshot(snapshot)),
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

  readonly getConference = (): ConferenceView => this.conference.view;

  /**
   * Merges two answered calls of this window into a three-way call (docs/media.md); resolves when both
   * send their mix. Throws a ConferenceError (busy, same-call, call-ended) and changes nothing otherwise.
   * Mute is one state for both legs from then on: muted if either was.
   */
  async merge(callIdA: string, callIdB: string): Promise<void> {
    const [a, b] = [this.sessions.get(callIdA), this.sessions.get(callIdB)];
    if (!a || !b) throw new ConferenceError('call-ended', `Call ${a ? callIdB : callIdA} has no media here.`);
    await this.conference.merge(a, b);
    if (a.view.muted !== b.view.muted) this.setMuted(callIdA, true);
  }

  /** Back to two separate calls (each with the plain microphone). */
  unmerge(): Promise<void> {
    return this.conference.unmerge();
  }

  /** The agent steps out of the three-way call; the two others keep hearing each other until the legs end. */
  leaveConference(): void {
    this.conference.leave();
  }

  /**
   * Leave a three-way call = complete its transfer: the agent's voice leaves both mixes at once, then the
   * server connects the customer and the expert and ends both legs. Refused: back in the three-way call.
   */
  async leaveTransfer(transferId: string): Promise<{ ok: boolean; error?: unknown }> {
    this.conference.leave();
    const result = await this.bridge.invoke('phone.transferAction', { transferId, action: 'complete' });
    if (!result.ok) {
      await this.conference.unmerge();
      this.conferenceSync.mediaChanged();
    }
    return result;
  }

  /** When the call's media first connected (ms since the epoch), or null if it never did. */
  talkStartOf(callId: string): number | null {
    return this.talkStarts.get(callId) ?? null;
  }

  /** Why opening the media of a call failed (devices refused), for the in-call screen. */
  failureOf(callId: string): string | null {
    return this.failures.get(callId) ?? null;
  }

  session(callId: string): CallSession | undefined {
    return this.sessions.get(callId);
  }

  /** Mutes at once here; the phone keeps the state and tells the other side. In a three-way call, both legs. */
  setMuted(callId: string, muted: boolean): void {
    const callIds = this.conference.includes(callId) ? this.conference.view.callIds : [callId];
    for (const id of callIds) {
      this.sessions.get(id)?.setMuted(muted);
      void this.bridge.invoke('phone.mute', { callId: id, muted });
    }
  }

  sendTones(callId: string, tones: string): boolean {
    return this.sessions.get(callId)?.sendTones(tones) ?? false;
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

  private async open(callId: string, initiator: boolean, localMedia: 'audio' | 'video', restart: { answeredAt: number } | null): Promise<void> {
    if (this.sessions.has(callId)) return;
    if (!this.buffered.has(callId)) this.buffered.set(callId, []); // marks the call as opening; close() clears it
    const settings = this.settings;
    try {
      const iceServers = await this.currentIceServers();
      const session = await CallSession.open({
        callId,
        initiator,
        localMedia,
        iceServers,
        microphoneId: settings?.devices.microphoneId ?? null,
        cameraId: settings?.devices.cameraId ?? null,
        signalling: this.signallingOf(callId),
        restart,
        sendSignal: (data) => void this.bridge.invoke('phone.signal', { callId, data }),
        onChange: () => this.changed(),
        onFailed: (mediaLastSeenAt) =>
          void this.bridge.invoke('phone.end', {
            callId,
            reason: 'media-failed',
            ...(mediaLastSeenAt === null ? {} : { mediaLastSeenAt: new Date(mediaLastSeenAt).toISOString() }),
          }),
      });
      if (!this.buffered.has(callId)) {
        session.close(); // the call ended while the devices were opening
        return;
      }
      this.sessions.set(callId, session);
      // The call's state may have changed while the session opened (a reloaded agent's transfer holds the
      // customer's leg as soon as transfer:updated arrives, often before the microphone is open).
      const call = this.snapshot?.calls.find((c) => c.callId === callId);
      if (call) this.applyCallState(session, call);
      for (const data of this.buffered.get(callId) ?? []) session.signal(data);
      this.buffered.delete(callId);
      this.changed();
      this.conferenceSync.mediaChanged();
    } catch (error) {
      this.failures.set(callId, error instanceof Error ? error.message : String(error));
      this.changed();
      await this.bridge.invoke('phone.end', { callId, reason: 'media-failed' });
    }
  }

  /** Fresh ICE servers when the service answers; the last known ones (or none: host candidates) when it does not. */
  private async currentIceServers(): Promise<RTCIceServer[]> {
    const result = await this.bridge.invoke('ice.servers', {});
    if (result.ok) this.iceServers = result.value.iceServers;
    return this.iceServers;
  }

  private signallingOf(callId: string): SignallingState {
    const call = this.snapshot?.calls.find((c) => c.callId === callId);
    return { online: this.snapshot?.connection.status === 'online', peerConnected: call?.peerConnected ?? true };
  }

  private applySnapshot(snapshot: BridgeSnapshot): void {
    this.snapshot = snapshot;
    for (const call of snapshot.calls) {
      const session = this.sessions.get(call.callId);
      if (session) this.applyCallState(session, call);
    }
    const live = new Set(snapshot.calls.map((c) => c.callId));
    for (const callId of [...this.sessions.keys()]) if (!live.has(callId)) this.close(callId);
    this.conferenceSync.follow(snapshot.transfers);
  }

  /** What the phone says about a call, applied to its media: hold (either side) pauses it, mute, the signalling. */
  private applyCallState(session: CallSession, call: CallView): void {
    session.setPaused(call.held || call.remoteHeld);
    session.setMuted(call.muted);
    session.signallingChanged(this.signallingOf(call.callId));
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
    for (const view of this.views) if (view.connectedSince !== null) this.talkStarts.set(view.callId, view.connectedSince);
    while (this.talkStarts.size > 50) this.talkStarts.delete(this.talkStarts.keys().next().value as string);
    for (const listener of [...this.listeners]) listener();
  }
}
