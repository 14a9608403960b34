import type { AgentStatus } from '../protocol';
import type { CallView } from './api';
import type { Clock, TimerHandle } from './ports';

/**
 * How long a line call rings before it answers by itself: long enough for the ringtone's first
 * burst (every ringtone has sound in its first second) to warn the agent, short enough to feel
 * immediate. Bria rings once; Genesys/Connect answer after a brief alert.
 */
export const AUTO_ANSWER_DELAY_MS = 1_500;

/** A line call that will answer by itself at `at` (ISO time) unless it is stopped. */
export interface AutoAnswerView {
  callId: string;
  at: string;
}

/** What the rule reads of a ringing call: a CallView, or an offer about to ring (call:incoming with its ring decision). */
export type AutoAnswerOffer = Pick<CallView, 'callId' | 'line' | 'context' | 'silent' | 'waiting'>;

/**
 * Auto-answer for headset agents (issue 14), one rule for the app and the bot: only a call offered by a
 * line (not a direct call, not a consult or a transfer, which carry a `context`), only while the agent
 * is available (not busy, in wrap-up, away, on DND or offline), only when this device has no other call
 * up, and never for a call that rings silently or as call waiting.
 */
export function shouldAutoAnswer(enabled: boolean, offer: AutoAnswerOffer, agent: AgentStatus | null, calls: CallView[]): boolean {
  if (!enabled || !offer.line || offer.context || offer.silent || offer.waiting) return false;
  if (agent?.state !== 'available') return false;
  return !calls.some((other) => other.callId !== offer.callId && other.phase !== 'ended' && other.phase !== 'incoming');
}

/** The one pending auto-answer of this device: scheduled on the offer, checked again when it fires, stoppable per call. */
export class AutoAnswerTimer {
  private pending: { callId: string; at: number; timer: TimerHandle } | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly onChange: () => void,
  ) {}

  get view(): AutoAnswerView | null {
    return this.pending ? { callId: this.pending.callId, at: new Date(this.pending.at).toISOString() } : null;
  }

  /** Starts the countdown for `callId` unless one is already running; `fire` decides again and answers. */
  schedule(callId: string, fire: (callId: string) => void): void {
    if (this.pending) return;
    const timer = this.clock.setTimeout(() => {
      this.pending = null;
      fire(callId);
      this.onChange();
    }, AUTO_ANSWER_DELAY_MS);
    this.pending = { callId, at: this.clock.now() + AUTO_ANSWER_DELAY_MS, timer };
    this.onChange();
  }

  /** Stops the countdown (for this call only, or whatever runs); true when one was stopped. */
  cancel(callId?: string): boolean {
    if (!this.pending || (callId !== undefined && this.pending.callId !== callId)) return false;
    this.clock.clearTimeout(this.pending.timer);
    this.pending = null;
    this.onChange();
    return true;
  }
}
