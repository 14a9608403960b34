/**
 * Media set-up and recovery policy for one peer connection (see docs/media.md):
 * - the link is 'connected' only when the peer connection is (ICE and DTLS both up): ICE alone
 *   can report 'connected' on the side that answers connectivity checks while the other side
 *   never got the answer, and no media flows then;
 * - a set-up that does not reach 'connected' within the window fails (it used to wait forever);
 * - when ICE reports disconnected or failed, or the network changes, restart ICE (after a short
 *   grace for disconnected, at once for failed), retry periodically, and fail when the media is
 *   not back within the window;
 * - while the signalling path is down (this side offline, or the other side away: a service
 *   restart, a reloading page) nothing can be renegotiated: the clocks stop and start afresh when
 *   it is back (PeerLink bounds how long a path may stay down).
 */

export type MediaLinkState = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface RecoveryOptions {
  /** The media must connect, or be back, within this time (set-up start or first sign of trouble). */
  windowMs: number;
  /** 'disconnected' often heals by itself within a second or two; wait this long before restarting. */
  disconnectedGraceMs: number;
  /** Between restart attempts while still down. */
  retryEveryMs: number;
  /** The other side closed its peer connection: how long the signalling has to say why. */
  peerGoneGraceMs: number;
}

export const DEFAULT_RECOVERY: RecoveryOptions = { windowMs: 15_000, disconnectedGraceMs: 1_500, retryEveryMs: 4_000, peerGoneGraceMs: 5_000 };

export interface RecoveryHooks {
  /** Perform one ICE restart attempt. */
  restart(): void;
  onState(state: MediaLinkState): void;
}

type Timer = ReturnType<typeof setTimeout>;

export class RecoveryMonitor {
  private state: MediaLinkState = 'connecting';
  private deadline: Timer | null = null;
  private retry: Timer | null = null;
  private peerGoneTimer: Timer | null = null;
  private everConnected = false;
  private signallingAway = false;
  private peerClosed = false;

  constructor(
    private readonly hooks: RecoveryHooks,
    private readonly options: RecoveryOptions = DEFAULT_RECOVERY,
  ) {
    this.deadline = setTimeout(() => this.giveUp(), options.windowMs);
  }

  get current(): MediaLinkState {
    return this.state;
  }

  get connectedOnce(): boolean {
    return this.everConnected;
  }

  /** Feed every RTCPeerConnection.connectionState change: 'connected' is the only proof of media. */
  connectionState(state: RTCPeerConnectionState): void {
    if (this.state === 'failed' || state !== 'connected') return;
    this.everConnected = true;
    this.peerClosed = false;
    this.clearTimers();
    this.setState('connected');
  }

  /** Feed every iceConnectionState change: disconnected and failed start a recovery. */
  iceState(ice: RTCIceConnectionState): void {
    if (this.state === 'failed') return;
    if (ice === 'disconnected' || ice === 'failed') this.beginRecovery(ice === 'failed' ? 0 : this.options.disconnectedGraceMs);
  }

  /**
   * The device's network changed (online event, connection type change): restart ICE at once so
   * new local candidates are gathered. A link that still works keeps its state (an ICE restart
   * keeps the old pair until a new one is selected, so no 'connected' event may follow).
   */
  networkChanged(): void {
    if (this.state === 'failed' || !this.everConnected || this.signallingAway) return;
    if (this.state === 'reconnecting') this.scheduleAttempt(0);
    else this.hooks.restart();
  }

  /**
   * The peer connection is gone (the other side closed it, or its data channel failed). That is
   * how a hang-up on the other side first looks to the media, a moment before the signalling says
   * so; the call ends with that reason. No restart can bring the connection back, so when the
   * signalling says nothing within the grace, the link has failed.
   */
  peerGone(): void {
    if (this.state === 'failed' || this.peerGoneTimer) return;
    this.peerClosed = true;
    if (this.state === 'connected') this.setState('reconnecting');
    if (!this.signallingAway) this.peerGoneTimer = setTimeout(() => this.giveUp(), this.options.peerGoneGraceMs);
  }

  /**
   * The signalling path went down (true) or came back (false). While it is down no restart can
   * reach the other side: every clock stops. When it is back a link that is not connected gets a
   * fresh window (a set-up restart follows, or ICE recovers).
   */
  signallingDown(away: boolean): void {
    if (this.state === 'failed' || away === this.signallingAway) return;
    this.signallingAway = away;
    if (away) {
      this.clearTimers();
      return;
    }
    if (this.state === 'connected') return;
    this.deadline = setTimeout(() => this.giveUp(), this.options.windowMs);
    if (this.peerClosed) this.peerGoneTimer = setTimeout(() => this.giveUp(), this.options.peerGoneGraceMs);
    else if (this.state === 'reconnecting') this.scheduleAttempt(0);
  }

  /** Stop all timers (the call ended, or this peer connection was replaced). */
  dispose(): void {
    this.clearTimers();
  }

  private beginRecovery(firstAttemptInMs: number): void {
    if (this.state === 'connecting') {
      // ICE failed during the set-up: try a restart (the label stays 'connecting'; the set-up window bounds it).
      if (firstAttemptInMs === 0 && !this.signallingAway) this.scheduleAttempt(0);
      return;
    }
    if (this.state !== 'reconnecting') {
      this.setState('reconnecting');
      if (this.signallingAway) return;
      this.deadline = setTimeout(() => this.giveUp(), this.options.windowMs);
      this.scheduleAttempt(firstAttemptInMs);
    } else if (firstAttemptInMs === 0 && !this.signallingAway) {
      this.deadline ??= setTimeout(() => this.giveUp(), this.options.windowMs);
      this.scheduleAttempt(0);
    }
  }

  private scheduleAttempt(inMs: number): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.state === 'connected' || this.state === 'failed' || this.signallingAway) return;
      this.hooks.restart();
      this.scheduleAttempt(this.options.retryEveryMs);
    }, inMs);
  }

  private giveUp(): void {
    this.clearTimers();
    this.setState('failed');
  }

  private clearTimers(): void {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.retry) clearTimeout(this.retry);
    if (this.peerGoneTimer) clearTimeout(this.peerGoneTimer);
    this.deadline = null;
    this.retry = null;
    this.peerGoneTimer = null;
  }

  private setState(state: MediaLinkState): void {
    if (state === this.state) return;
    this.state = state;
    this.hooks.onState(state);
  }
}
