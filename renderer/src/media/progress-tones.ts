import type { BridgeSnapshot, SoftphoneBridge } from '../../../shared/bridge';
import type { TransferView } from '../../../shared/protocol';
import { playOnOutputs, type PlayingTone } from './tone-player';
import type { CallView } from '../../../shared/phone/api';
import { PROGRESS_TONES, toneForEndReason, type ProgressTone } from './tones';

/** How long the busy tone plays after a busy end. */
const BUSY_TONE_MS = 3_000;

/** Transfer ends that send the customer back to the agent (a recall: the agent must pick up the conversation). */
const RECALL_REASONS: ReadonlySet<string> = new Set(['declined', 'no-answer', 'busy', 'unavailable', 'failed', 'target-left']);

/** The tone an outgoing call plays while it waits: ringback while the callee rings, the queue tone while it waits in a line. */
export function waitingTone(call: CallView): ProgressTone | null {
  if (call.direction !== 'outgoing' || call.endedAt) return null;
  if (call.phase === 'ringback') return 'ringback';
  return call.phase === 'calling' && call.queue ? 'queue' : null;
}

/** The call the other side holds while this side does not (this side hears the hold tone), if any. */
export function heldByOtherSide(snapshot: BridgeSnapshot): string | null {
  return snapshot.calls.find((call) => call.phase === 'active' && call.remoteHeld && !call.held)?.callId ?? null;
}

/** Transfers that have just ended in a recall (not seen before). */
export function newRecalls(transfers: readonly TransferView[], seen: ReadonlySet<string>): TransferView[] {
  return transfers.filter((t) => (t.state === 'failed' || t.state === 'cancelled') && RECALL_REASONS.has(t.endReason ?? '') && !seen.has(t.transferId));
}

/**
 * The progress tones on the call speaker: ringback while the callee rings (or the queue tone while a line
 * call waits for an agent), then busy or declined when an outgoing call ends that way; the hold tone while
 * the other side holds the call (a customer waiting during a consult); the recall tone when a transfer
 * fails and the customer is back with the agent.
 */
export class ProgressTones {
  private ringback: { callId: string; kind: ProgressTone; tone: Promise<PlayingTone | null> } | null = null;
  private hold: { callId: string; tone: Promise<PlayingTone | null> } | null = null;
  private readonly recalled = new Set<string>();
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
    this.stopHold();
  }

  private follow(snapshot: BridgeSnapshot): void {
    const waiting = snapshot.calls.find((call) => waitingTone(call) !== null);
    const kind = waiting ? waitingTone(waiting) : null;
    if (this.ringback && (this.ringback.callId !== waiting?.callId || this.ringback.kind !== kind)) this.stopRingback();
    if (waiting && kind && !this.ringback) {
      this.ringback = { callId: waiting.callId, kind, tone: playOnOutputs(PROGRESS_TONES[kind], [this.speakerId()]).catch(() => null) };
    }
    const held = heldByOtherSide(snapshot);
    if (this.hold && this.hold.callId !== held) this.stopHold();
    if (held && !this.hold) this.hold = { callId: held, tone: playOnOutputs(PROGRESS_TONES.hold, [this.speakerId()]).catch(() => null) };
    for (const transfer of newRecalls(snapshot.transfers, this.recalled)) {
      this.recalled.add(transfer.transferId);
      void playOnOutputs(PROGRESS_TONES.recall, [this.speakerId()]).catch(() => undefined);
    }
  }

  private stopHold(): void {
    const current = this.hold;
    this.hold = null;
    void current?.tone.then((t) => t?.stop());
  }

  private stopRingback(): void {
    const current = this.ringback;
    this.ringback = null;
    void current?.tone.then((t) => t?.stop());
  }
}
