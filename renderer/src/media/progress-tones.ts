import type { BridgeSnapshot, SoftphoneBridge } from '../../../shared/bridge';
import { playOnOutputs, type PlayingTone } from './tone-player';
import { PROGRESS_TONES, toneForEndReason } from './tones';

/** How long the busy tone plays after a busy end. */
const BUSY_TONE_MS = 3_000;

/**
 * The caller's progress tones on the call speaker: ringback while the callee rings, then busy or
 * declined when an outgoing call ends that way.
 */
export class ProgressTones {
  private ringback: { callId: string; tone: Promise<PlayingTone | null> } | null = null;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(
    private readonly bridge: SoftphoneBridge,
    private readonly speakerId: () => string | null,
  ) {}

  start(): void {
    this.unsubscribers.push(
      this.bridge.on('phone.snapshot', (snapshot) => this.follow(snapshot)),
      this.bridge.on('phone.ended', ({ call }) => {
        if (call.direction !== 'outgoing' || call.answeredAt) return;
        const tone = toneForEndReason(call.endReason);
        if (!tone) return;
        void playOnOutputs(PROGRESS_TONES[tone], [this.speakerId()])
          .then((playing) => (PROGRESS_TONES[tone].loop ? setTimeout(() => playing.stop(), BUSY_TONE_MS) : undefined))
          .catch(() => undefined);
      }),
    );
  }

  dispose(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    this.stopRingback();
  }

  private follow(snapshot: BridgeSnapshot): void {
    const ringing = snapshot.calls.find((call) => call.direction === 'outgoing' && call.phase === 'ringback' && !call.endedAt);
    if (this.ringback && this.ringback.callId !== ringing?.callId) this.stopRingback();
    if (ringing && !this.ringback) {
      this.ringback = { callId: ringing.callId, tone: playOnOutputs(PROGRESS_TONES.ringback, [this.speakerId()]).catch(() => null) };
    }
  }

  private stopRingback(): void {
    const current = this.ringback;
    this.ringback = null;
    void current?.tone.then((t) => t?.stop());
  }
}
