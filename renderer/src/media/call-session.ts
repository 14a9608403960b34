import type { Media, SignalData } from '../../../shared/protocol';
import { openCamera, openMicrophone } from './devices';
import type { ConferenceLeg } from './conference-hub';
import { PeerLink, type SignallingState } from './peer-link';
import type { MediaLinkState, RecoveryOptions } from './recovery';
import { followRemoteVideo } from './remote-video';
import { StatsPoll, type MediaStatsSnapshot } from './stats';

/** What the screens show about one call's media. */
export interface CallMediaView {
  callId: string;
  link: MediaLinkState;
  /** What this side sends: audio only, or audio and video. */
  localMedia: Media;
  localStream: MediaStream;
  remoteStream: MediaStream | null;
  /** The other side's video is arriving (a track that is live and not muted: camera off mutes it). */
  remoteVideo: boolean;
  muted: boolean;
  cameraOn: boolean;
  sharingScreen: boolean;
  /** Held by either side: nothing is sent and the remote audio is silenced. */
  paused: boolean;
  /** Since when the call has had media (ms since the epoch); null until the media first connects. The call timer counts from it. */
  connectedSince: number | null;
  stats: MediaStatsSnapshot | null;
}

export interface CallSessionOptions {
  callId: string;
  initiator: boolean;
  localMedia: Media;
  iceServers: RTCIceServer[];
  microphoneId: string | null;
  cameraId: string | null;
  /** The signalling when the media starts (changes arrive through signallingChanged). */
  signalling: SignallingState;
  /**
   * This device had lost the call's media (a reloaded page took the call back): ask the other side
   * to start afresh. The timer then counts from `answeredAt`, as it did before the reload.
   */
  restart: { answeredAt: number } | null;
  sendSignal(data: SignalData): void;
  onChange(): void;
  /**
   * The media could not recover within the recovery window: the call must end (media-failed).
   * `mediaLastSeenAt` (this clock, ms): when bytes from the other side last arrived, so the record's
   * talk time does not count the recovery window; null when no media ever arrived.
   */
  onFailed(mediaLastSeenAt: number | null): void;
  recovery?: RecoveryOptions;
}

/**
 * One call's media: the local tracks, the simple-peer session and the stats poll. Every change of
 * what is sent goes through `applySending`, the one place that decides which track each sender has.
 * It is also a leg of a three-way call (ConferenceHub): the hub gives it a mix to send instead.
 */
export class CallSession implements ConferenceLeg {
  private readonly peer: PeerLink;
  private readonly stats: StatsPoll;
  private mic: MediaStreamTrack;
  private camera: MediaStreamTrack | null;
  private screen: MediaStreamTrack | null = null;
  /** A three-way call's mix, sent instead of the microphone (and no video) while merged. */
  private conferenceAudio: MediaStreamTrack | null = null;
  private readonly watchers = new Set<() => void>();
  private ended = false;
  /** When the received byte count last moved (this clock, ms): the end of the talk when the media fails. */
  private mediaLastSeenAt: number | null = null;
  readonly view: CallMediaView;

  static async open(options: CallSessionOptions): Promise<CallSession> {
    const mic = await openMicrophone(options.microphoneId);
    let camera: MediaStreamTrack | null = null;
    if (options.localMedia === 'video') {
      try {
        camera = await openCamera(options.cameraId);
      } catch (error) {
        mic.stop();
        throw error;
      }
    }
    return new CallSession(options, mic, camera);
  }

  private constructor(
    private readonly options: CallSessionOptions,
    mic: MediaStreamTrack,
    camera: MediaStreamTrack | null,
  ) {
    this.mic = mic;
    this.camera = camera;
    const localStream = new MediaStream(camera ? [mic, camera] : [mic]);
    this.view = {
      callId: options.callId,
      link: 'connecting',
      localMedia: options.localMedia,
      localStream,
      remoteStream: null,
      remoteVideo: false,
      muted: false,
      cameraOn: camera !== null,
      sharingScreen: false,
      paused: false,
      connectedSince: null,
      stats: null,
    };
    this.stats = new StatsPoll(() => this.peer.peerConnection, (stats) => this.statsArrived(stats));
    this.watchDeviceLoss(mic);
    if (camera) this.watchDeviceLoss(camera);
    this.peer = new PeerLink({
      initiator: options.initiator,
      iceServers: options.iceServers,
      localStream,
      signalling: options.signalling,
      sendSignal: options.sendSignal,
      onRemoteStream: (stream) => this.watchRemote(stream),
      onLinkState: (link) => this.linkChanged(link),
      onReplaced: () => {
        this.stats.reset();
        this.update({ remoteStream: null, remoteVideo: false, stats: null });
        void this.applySending();
      },
      recovery: options.recovery,
    });
    if (options.restart) this.peer.requestRestart();
  }

  get peerConnection(): RTCPeerConnection {
    return this.peer.peerConnection;
  }

  get callId(): string {
    return this.options.callId;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** The microphone track now (a device switch replaces it; mute disables it). */
  get microphone(): MediaStreamTrack {
    return this.mic;
  }

  /** Three-way call: send this mix instead of the microphone, and no video; null restores both. */
  async sendConferenceAudio(track: MediaStreamTrack | null): Promise<void> {
    this.conferenceAudio = track;
    await this.applySending();
  }

  /** Calls `listener` after every change of this call's media (view, microphone) and once when it closes. */
  watch(listener: () => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  signal(data: SignalData): void {
    this.peer.signal(data);
  }

  /** This device's signalling or the other side's changed (from the phone snapshot). */
  signallingChanged(signalling: SignallingState): void {
    this.peer.signallingChanged(signalling);
  }

  networkChanged(): void {
    this.peer.networkChanged();
  }

  setMuted(muted: boolean): void {
    this.mic.enabled = !muted;
    if (muted !== this.view.muted) this.update({ muted });
  }

  setPaused(paused: boolean): void {
    if (paused === this.view.paused) return;
    this.update({ paused });
    void this.applySending();
  }

  /**
   * Sends keypad tones to the other side as RTP telephone events (RFC 4733, RTCDTMFSender), as
   * desk phones do for voice menus. Returns false when the audio sender cannot send them now.
   */
  sendTones(tones: string): boolean {
    const sender = this.peer.peerConnection.getSenders().find((s) => s.dtmf && s.track?.kind === 'audio');
    if (!sender?.dtmf?.canInsertDTMF) return false;
    sender.dtmf.insertDTMF(sender.dtmf.toneBuffer + tones, 100, 70);
    return true;
  }

  async setCameraOn(on: boolean, cameraId: string | null): Promise<void> {
    if (on && !this.camera) {
      this.camera = await openCamera(cameraId);
      this.watchDeviceLoss(this.camera);
      this.view.localStream.addTrack(this.camera);
    } else if (!on && this.camera) {
      this.view.localStream.removeTrack(this.camera);
      this.camera.stop();
      this.camera = null;
    }
    this.update({ cameraOn: on });
    await this.applySending();
  }

  async startScreenShare(track: MediaStreamTrack): Promise<void> {
    this.screen?.stop();
    this.screen = track;
    track.addEventListener('ended', () => void this.stopScreenShare());
    this.update({ sharingScreen: true });
    await this.applySending();
  }

  async stopScreenShare(): Promise<void> {
    if (!this.screen) return;
    this.screen.stop();
    this.screen = null;
    this.update({ sharingScreen: false });
    await this.applySending();
  }

  /** Switches the microphone live (also the fallback when the current one disappears). */
  async switchMicrophone(deviceId: string | null): Promise<void> {
    const next = await openMicrophone(deviceId);
    next.enabled = !this.view.muted;
    const previous = this.mic;
    this.mic = next;
    await this.replaceLocalTrack(previous, next);
  }

  async switchCamera(deviceId: string | null): Promise<void> {
    if (!this.camera) return;
    const next = await openCamera(deviceId);
    const previous = this.camera;
    this.camera = next;
    await this.replaceLocalTrack(previous, next);
  }

  private async replaceLocalTrack(previous: MediaStreamTrack, next: MediaStreamTrack): Promise<void> {
    this.watchDeviceLoss(next);
    this.view.localStream.removeTrack(previous);
    this.view.localStream.addTrack(next);
    previous.stop();
    await this.applySending();
    this.changed();
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.stats.stop();
    this.peer.close();
    for (const track of [this.mic, this.camera, this.screen]) track?.stop();
    for (const watcher of [...this.watchers]) watcher();
    this.watchers.clear();
  }

  private linkChanged(link: MediaLinkState): void {
    const firstMedia = link === 'connected' && this.view.connectedSince === null;
    const since = this.options.restart?.answeredAt ?? Date.now();
    this.update(firstMedia ? { link, connectedSince: since } : { link });
    if (link === 'failed' && !this.ended) this.options.onFailed(this.mediaLastSeenAt);
  }

  private statsArrived(stats: MediaStatsSnapshot): void {
    const received = (s: MediaStatsSnapshot | null) => (s ? s.audioBytesReceived + s.videoBytesReceived : 0);
    if (received(stats) > 0 && received(stats) !== received(this.view.stats)) this.mediaLastSeenAt = Date.now();
    this.update({ stats });
  }

  /** The one place that decides what each sender sends. */
  private async applySending(): Promise<void> {
    if (this.ended) return;
    const paused = this.view.paused;
    const merged = this.conferenceAudio !== null; // a three-way call is audio only (docs/media.md)
    const video = merged ? null : (this.screen ?? (this.view.cameraOn ? this.camera : null));
    await this.peer.replaceTrack('audio', paused ? null : (this.conferenceAudio ?? this.mic));
    await this.peer.replaceTrack('video', paused ? null : video);
  }

  private watchRemote(stream: MediaStream): void {
    this.update({ remoteStream: stream });
    followRemoteVideo(stream, () => this.view.remoteStream === stream, (remoteVideo) => this.update({ remoteVideo }));
  }

  /** A device unplugged mid-call ends its track: fall back to the default device and stay up. */
  private watchDeviceLoss(track: MediaStreamTrack): void {
    track.addEventListener('ended', () => {
      if (this.ended) return;
      if (track === this.mic) void this.switchMicrophone(null).catch(() => undefined);
      else if (track === this.camera) void this.switchCamera(null).catch(() => undefined);
    });
  }

  private update(patch: Partial<CallMediaView>): void {
    if (this.ended) return;
    Object.assign(this.view, patch);
    this.changed();
  }

  private changed(): void {
    this.options.onChange();
    for (const watcher of [...this.watchers]) watcher();
  }
}
