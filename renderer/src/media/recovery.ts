/**
 * Media recovery policy for one call (see docs/media.md): when ICE reports disconnected or failed,
 * or the network changes, restart ICE (after a short grace for disconnected, at once for failed),
 * retry periodically, and give up when the media is not back within the recovery window.
 */

export type MediaLinkState = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface RecoveryOptions {
  /** The media must be back within this time from the first sign of trouble (the 15 s). */
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

  constructor(
    private readonly hooks: RecoveryHooks,
    private readonly options: RecoveryOptions = DEFAULT_RECOVERY,
  ) {}

  get current(): MediaLinkState {
    return this.state;
  }

  /** Feed every iceConnectionState change. */
  iceState(ice: RTCIceConnectionState): void {
    if (this.state === 'failed') return;
    if (ice === 'connected' || ice === 'completed') {
      this.everConnected = true;
      this.clearTimers();
      this.setState('connected');
    } else if (ice === 'disconnected' || ice === 'failed') {
      this.beginRecovery(ice === 'failed' ? 0 : this.options.disconnectedGraceMs);
    }
  }

  /**
   * The device's network changed (online event, connection type change): restart ICE at once so
   * new local candidates are gathered. A link that still works keeps its state (an ICE restart
   * keeps the old pair until a new one is selected, so no 'connected' event may follow).
   */
  networkChanged(): void {
    if (this.state === 'failed' || !this.everConnected) return;
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
    this.peerGoneTimer = setTimeout(() => this.giveUp(), this.options.peerGoneGraceMs);
  }

  /** Stop all timers (the call ended). */
  dispose(): void {
    this.clearTimers();
  }

  private beginRecovery(firstAttemptInMs: number): void {
    if (this.state !== 'reconnecting') {
      this.setState('reconnecting');
      this.deadline = setTimeout(() => this.giveUp(), this.options.windowMs);
      this.scheduleAttempt(firstAttemptInMs);
    } else if (firstAttemptInMs === 0) {
      this.scheduleAttempt(0);
    }
  }

  private scheduleAttempt(inMs: number): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.state !== 'reconnecting') return;
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
