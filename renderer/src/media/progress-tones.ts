import type { BridgeSnapshot, SoftphoneBridge } from '../../../shared/bridge';
import { playOnOutputs, type PlayingTone } from './tone-player';
import type { CallView } from '../../../shared/phone/api';
import { PROGRESS_TONES, toneForEndReason, type ProgressTone } from './tones';

/** How long the busy tone plays after a busy end. */
const BUSY_TONE_MS = 3_000;

/** The tone an outgoing call plays while it waits: ringback while the callee rings, the queue tone while it waits in a line. */
export function waitingTone(call: CallView): ProgressTone | null {
  if (call.direction !== 'outgoing' || call.endedAt) return null;
  if (call.phase === 'ringback') return 'ringback';
  return call.phase === 'calling' && call.queue ? 'queue' : null;
}

/**
 * The caller's progress tones on the call speaker: ringback while the callee rings (or the queue tone
 * while a line call waits for an agent), then busy or declined when an outgoing call ends that way.
 */
export class ProgressTones {
  private ringback: { callId: string; kind: ProgressTone; tone: Promise<PlayingTone | null> } | null = null;
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
    const waiting = snapshot.calls.find((call) => waitingTone(call) !== null);
    const kind = waiting ? waitingTone(waiting) : null;
    if (this.ringback && (this.ringback.callId !== waiting?.callId || this.ringback.kind !== kind)) this.stopRingback();
    if (waiting && kind && !this.ringback) {
      this.ringback = { callId: waiting.callId, kind, tone: playOnOutputs(PROGRESS_TONES[kind], [this.speakerId()]).catch(() => null) };
    }
  }

  private stopRingback(): void {
    const current = this.ringback;
    this.ringback = null;
    void current?.tone.then((t) => t?.stop());
  }
}
