import type { SignalData } from '../../../shared/protocol';
import { PeerSession, type PeerSessionOptions } from './peer-session';
import type { MediaLinkState } from './recovery';

/** What a peer connection needs, plus what replacing one needs. */
export interface PeerLinkOptions extends PeerSessionOptions {
  /** A fresh peer connection replaced the previous one: what is sent must be applied to it again. */
  onReplaced(): void;
  /** The signalling as the call starts (later changes come through signallingChanged). */
  signalling: SignallingState;
  /** Makes one peer connection's session (tests pass a fake; the default is a real PeerSession). */
  createSession?: (options: PeerSessionOptions) => LinkSession;
}

/** What PeerLink uses of a PeerSession. */
export type LinkSession = Pick<PeerSession, 'peerConnection' | 'linkState' | 'signal' | 'networkChanged' | 'signallingDown' | 'replaceTrack' | 'close'>;

/**
 * How long the signalling path may stay down while the media is not connected. The server ends
 * the call once an end is gone longer than its resume grace (CALL_RESUME_GRACE_MS, 30 s by
 * default); past that this side cannot learn it, so it ends the call itself.
 */
export const SIGNALLING_DOWN_LIMIT_MS = 30_000;

export interface SignallingState {
  /** This device's signalling session is registered. */
  online: boolean;
  /** The other side's signalling is connected (the server says so). */
  peerConnected: boolean;
}

/**
 * One call's peer connection, replaceable: a media set-up restart (SignalData `{ restart }`) drops
 * the current peer connection on both sides and starts a fresh one, for the cases an ICE restart
 * cannot mend:
 * - this side lost its media (a reloaded page took the call back): it asks at once;
 * - the set-up was cut by a signalling outage (the offer or answer may be lost in a service
 *   restart): the initiator asks when the signalling path is back, once per outage.
 *
 * The side that asks drops what arrives until the other side says `ready` (those are signals of
 * the old connection) and holds what its new connection produces until then; the side that is
 * asked replaces its connection first and then says `ready`, so every signal after `ready`
 * belongs to the new connections. Both sides asking at once converges the same way.
 */
export class PeerLink {
  private session: LinkSession;
  private awaitingReady = false;
  private held: SignalData[] = [];
  private everConnected = false;
  private closed = false;
  private signalling: SignallingState;
  /** Signalling outages seen (this side's or the other's), and how many of them a restart followed. */
  private outages = 0;
  private restartedAfter = 0;
  private downTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: PeerLinkOptions) {
    this.signalling = options.signalling;
    if (!this.signalling.online || !this.signalling.peerConnected) this.outages = 1; // set up during an outage
    this.session = this.newSession();
    this.applyPath();
  }

  get peerConnection(): RTCPeerConnection {
    return this.session.peerConnection;
  }

  get linkState(): MediaLinkState {
    return this.session.linkState;
  }

  /** Asks the other side to start the media afresh with this side (see the class comment). */
  requestRestart(): void {
    if (this.closed) return;
    this.restartedAfter = this.outages;
    this.replace(true);
    this.options.sendSignal({ restart: 'request' });
  }

  /** Signalling data from the other side. */
  signal(data: SignalData): void {
    if (this.closed) return;
    if ('restart' in data) {
      if (data.restart === 'request') {
        this.restartedAfter = this.outages;
        this.replace(false);
        this.options.sendSignal({ restart: 'ready' });
      } else if (this.awaitingReady) {
        this.awaitingReady = false;
        for (const held of this.held.splice(0)) this.options.sendSignal(held);
      }
      return;
    }
    if (this.awaitingReady) return; // a signal of the connection the other side is replacing
    this.session.signal(data);
  }

  /** The signalling path changed: tell the recovery, and restart a set-up an outage cut. */
  signallingChanged(next: SignallingState): void {
    const previous = this.signalling;
    this.signalling = next;
    if (this.closed) return;
    if ((previous.online && !next.online) || (previous.peerConnected && !next.peerConnected)) this.outages += 1;
    if (pathDown(previous) !== pathDown(next)) this.applyPath();
    const restored = (!previous.online && next.online) || (!previous.peerConnected && next.peerConnected);
    const cut = this.session.linkState !== 'connected' && this.restartedAfter < this.outages;
    if (restored && next.online && cut && this.options.initiator) this.requestRestart();
  }

  networkChanged(): void {
    this.session.networkChanged();
  }

  replaceTrack(kind: 'audio' | 'video', track: MediaStreamTrack | null): Promise<void> {
    return this.session.replaceTrack(kind, track);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearDownTimer();
    this.session.close();
  }

  /** Tells the recovery whether the path is down, and bounds how long it may stay down without media. */
  private applyPath(): void {
    const down = pathDown(this.signalling);
    this.session.signallingDown(down);
    if (!down || this.session.linkState === 'connected') this.clearDownTimer();
    else this.downTimer ??= setTimeout(() => !this.closed && this.options.onLinkState('failed'), SIGNALLING_DOWN_LIMIT_MS);
  }

  private clearDownTimer(): void {
    if (this.downTimer) clearTimeout(this.downTimer);
    this.downTimer = null;
  }

  private replace(awaitReady: boolean): void {
    this.session.close();
    this.held = [];
    this.awaitingReady = awaitReady;
    this.session = this.newSession();
    this.applyPath();
    this.report(this.session.linkState);
    this.options.onReplaced();
  }

  private newSession(): LinkSession {
    const create = this.options.createSession ?? ((options: PeerSessionOptions) => new PeerSession(options));
    const session: LinkSession = create({
      initiator: this.options.initiator,
      iceServers: this.options.iceServers,
      localStream: this.options.localStream,
      sendSignal: (data) => {
        if (session !== this.session) return;
        if (this.awaitingReady) this.held.push(data);
        else this.options.sendSignal(data);
      },
      onRemoteStream: (stream) => session === this.session && this.options.onRemoteStream(stream),
      onLinkState: (state) => session === this.session && this.report(state),
      recovery: this.options.recovery,
    });
    return session;
  }

  /** A fresh connection of a call that had media is 'reconnecting', not 'connecting'. */
  private report(state: MediaLinkState): void {
    if (state === 'connected') {
      this.everConnected = true;
      this.clearDownTimer();
    } else if (pathDown(this.signalling)) {
      this.applyPath();
    }
    this.options.onLinkState(state === 'connecting' && this.everConnected ? 'reconnecting' : state);
  }
}

const pathDown = (s: SignallingState) => !s.online || !s.peerConnected;
