import type { SignalData } from '../../../shared/protocol';
import { RecoveryMonitor, DEFAULT_RECOVERY, type MediaLinkState, type RecoveryOptions } from './recovery';
import { createPeer, peerConnectionOf, type PeerInstance, type PeerSignal } from './simple-peer';
import { toWireSignal } from './signal-data';

export interface PeerSessionOptions {
  /** The caller creates the offers (PhoneCore's `answered` event says which side). */
  initiator: boolean;
  iceServers: RTCIceServer[];
  localStream: MediaStream;
  sendSignal(data: SignalData): void;
  onRemoteStream(stream: MediaStream): void;
  onLinkState(state: MediaLinkState): void;
  recovery?: RecoveryOptions;
}

/**
 * One simple-peer session per call, with ICE restart by renegotiation (docs/media.md).
 *
 * simple-peer destroys itself when ICE (or the connection) reports 'failed'. An ICE restart is
 * exactly the way out of 'failed', so the session filters that one state out of simple-peer's
 * handlers and gives it to the recovery monitor instead; every other state still reaches simple-peer.
 */
export class PeerSession {
  private readonly peer: PeerInstance;
  private readonly pc: RTCPeerConnection;
  private readonly recovery: RecoveryMonitor;
  private closed = false;

  constructor(private readonly options: PeerSessionOptions) {
    this.peer = createPeer({
      initiator: options.initiator,
      trickle: true,
      config: { iceServers: options.iceServers },
      stream: options.localStream,
    });
    this.pc = peerConnectionOf(this.peer);
    this.recovery = new RecoveryMonitor({ restart: () => this.restartIce(), onState: (s) => this.linkStateChanged(s) }, options.recovery ?? DEFAULT_RECOVERY);
    this.interceptFailedStates();

    this.peer.on('signal', (data) => {
      const wire = toWireSignal(data);
      if (wire) options.sendSignal(wire);
    });
    this.peer.on('stream', (stream) => options.onRemoteStream(stream));
    this.peer.on('error', () => this.recovery.peerGone());
    this.peer.on('close', () => {
      if (!this.closed) this.recovery.peerGone();
    });
  }

  get peerConnection(): RTCPeerConnection {
    return this.pc;
  }

  get linkState(): MediaLinkState {
    return this.recovery.current;
  }

  /** Signalling data from the other side. */
  signal(data: SignalData): void {
    if (this.closed) return;
    // The other side asks for a restart while our own ICE is not healthy: make the offer an ICE restart.
    if ('renegotiate' in data && this.options.initiator && !this.iceHealthy()) this.pc.restartIce();
    this.peer.signal(data as PeerSignal); // the wire schema is simple-peer's own signal format
  }

  /** The device's network changed: gather new candidates now. */
  networkChanged(): void {
    this.recovery.networkChanged();
  }

  /** The signalling path went down or came back (see RecoveryMonitor.signallingDown). */
  signallingDown(away: boolean): void {
    this.recovery.signallingDown(away);
  }

  /** Replaces what this side sends for one kind (null sends nothing: hold, camera off). */
  async replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    const transceiver = this.pc.getTransceivers().find((t) => t.receiver.track.kind === kind && t.currentDirection !== 'stopped');
    if (transceiver) {
      await transceiver.sender.replaceTrack(track);
      return;
    }
    if (track) this.peer.addTrack(track, this.options.localStream); // upgrade (e.g. audio call -> video): renegotiates
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.recovery.dispose();
    this.peer.destroy();
  }

  private iceHealthy(): boolean {
    return this.pc.iceConnectionState === 'connected' || this.pc.iceConnectionState === 'completed';
  }

  private restartIce(): void {
    if (this.closed) return;
    if (this.options.initiator) {
      this.pc.restartIce();
      this.peer.negotiate();
    } else {
      this.options.sendSignal({ renegotiate: true });
    }
  }

  private linkStateChanged(state: MediaLinkState): void {
    if (this.closed) return;
    this.options.onLinkState(state);
  }

  private interceptFailedStates(): void {
    const pc = this.pc;
    const iceHandler = pc.oniceconnectionstatechange;
    pc.oniceconnectionstatechange = (event) => {
      if (pc.iceConnectionState !== 'failed') iceHandler?.call(pc, event);
      this.recovery.iceState(pc.iceConnectionState);
    };
    const connectionHandler = pc.onconnectionstatechange;
    pc.onconnectionstatechange = (event) => {
      if (pc.connectionState !== 'failed') connectionHandler?.call(pc, event);
      this.recovery.connectionState(pc.connectionState);
    };
  }
}
