import type { ClientAckResult, SignalData } from '../../../shared/protocol';
import type { Actor } from './call-actor';
import type { CallContext } from './call-context';
import { deviceKey, otherEnd, type LiveCall } from './live-call';
import type { RelayedSignal } from './resume-state';

/** How long a sender waits for the receiving device's acknowledgement before it is told `delivered: false`. */
export const SIGNAL_ACK_WAIT_MS = 5_000;

/**
 * Honest signal delivery between the two devices of an answered call. Every signal gets the next
 * sequence number of its receiving device and stays in that device's outbox (ctx.resume: this process
 * in the single profile, Redis in the cluster) until the device acknowledges it. The sender hears
 * `delivered: true` only once the receiver acknowledged; if that does not happen within
 * SIGNAL_ACK_WAIT_MS (the device is away, or its link died silently and the heartbeat has not noticed
 * yet) it hears `delivered: false`, and the signal is sent again, in order, when the device resumes, on
 * whichever node. A device drops a `seq` it already has (an acknowledgement can be lost). A numbering
 * that was lost (a restarted single server, an expired outbox) starts again at 1 under a new `stream`,
 * which tells the device that the signals are new.
 */
export class SignalRelay {
  constructor(private readonly ctx: CallContext) {}

  async send(call: LiveCall, from: Actor, data: SignalData): Promise<ClientAckResult<'call:signal'>> {
    const to = otherEnd(call, from.user.userId);
    const key = deviceKey(to.user.userId, to.deviceId);
    const { signal, away, dropped } = await this.ctx.resume.enqueue(call, key, { callId: call.callId, from: from.user, deviceId: from.deviceId, data });
    if (dropped > 0) this.ctx.logger.warn({ event: 'signal-dropped', callId: call.callId, dropped }, 'signal buffer full: the oldest unacknowledged signal was dropped');
    if (away) return { delivered: false };
    return new Promise((resolve) => {
      const timer = this.ctx.clock.setTimer(() => resolve({ delivered: false }), SIGNAL_ACK_WAIT_MS);
      const sent = this.ctx.delivery.toDeviceAcked(to.user.userId, to.deviceId, 'call:signal', signal, () => {
        this.ctx.resume.acknowledge(call, key, signal.seq);
        this.ctx.clock.clearTimer(timer);
        resolve({ delivered: true });
      });
      if (!sent) {
        this.ctx.clock.clearTimer(timer);
        resolve({ delivered: false });
      }
    });
  }

  /** The device is back: everything it has not acknowledged, in order. */
  resend(call: LiveCall, userId: string, deviceId: string, unacked: RelayedSignal[]): void {
    const key = deviceKey(userId, deviceId);
    for (const signal of unacked) {
      this.ctx.delivery.toDeviceAcked(userId, deviceId, 'call:signal', signal, () => this.ctx.resume.acknowledge(call, key, signal.seq));
    }
  }
}
