import { randomUUID } from 'node:crypto';
import { SIGNAL_BUFFER_LIMIT, type ClientAckResult, type SignalData } from '../../../shared/protocol';
import type { Actor } from './call-actor';
import type { CallContext } from './call-context';
import { deviceKey, otherEnd, type LiveCall, type SignalOutbox } from './live-call';

/** How long a sender waits for the receiving device's acknowledgement before it is told `delivered: false`. */
export const SIGNAL_ACK_WAIT_MS = 5_000;

function outboxOf(call: LiveCall, userId: string, deviceId: string): SignalOutbox {
  const key = deviceKey(userId, deviceId);
  let box = call.outboxes.get(key);
  if (!box) call.outboxes.set(key, (box = { stream: randomUUID(), nextSeq: 1, unacked: [] }));
  return box;
}

const acknowledge = (box: SignalOutbox, seq: number) => {
  box.unacked = box.unacked.filter((signal) => signal.seq !== seq);
};

/**
 * Honest signal delivery between the two devices of an answered call. Every signal gets the next
 * sequence number of its receiving device and stays in that device's outbox until the device
 * acknowledges it. The sender hears `delivered: true` only once the receiver acknowledged; if that
 * does not happen within SIGNAL_ACK_WAIT_MS (the device is away, or its link died silently and the
 * heartbeat has not noticed yet) it hears `delivered: false`, and the signal is sent again, in order,
 * when the device resumes. A device drops a `seq` it already has (an acknowledgement can be lost).
 * The numbering lives in this process: a restarted server numbers a restored call's signals from 1
 * again under a new `stream`, which tells the device that they are new.
 */
export class SignalRelay {
  constructor(private readonly ctx: CallContext) {}

  send(call: LiveCall, from: Actor, data: SignalData): Promise<ClientAckResult<'call:signal'>> {
    const to = otherEnd(call, from.user.userId);
    const box = outboxOf(call, to.user.userId, to.deviceId);
    const payload = { callId: call.callId, from: from.user, deviceId: from.deviceId, data, seq: box.nextSeq++, stream: box.stream };
    box.unacked.push(payload);
    if (box.unacked.length > SIGNAL_BUFFER_LIMIT) {
      const dropped = box.unacked.shift();
      this.ctx.logger.warn({ event: 'signal-dropped', callId: call.callId, seq: dropped?.seq }, 'signal buffer full: the oldest unacknowledged signal was dropped');
    }
    if (call.disconnected.has(deviceKey(to.user.userId, to.deviceId))) return Promise.resolve({ delivered: false });
    return new Promise((resolve) => {
      const timer = this.ctx.clock.setTimer(() => resolve({ delivered: false }), SIGNAL_ACK_WAIT_MS);
      const sent = this.ctx.delivery.toDeviceAcked(to.user.userId, to.deviceId, 'call:signal', payload, () => {
        acknowledge(box, payload.seq);
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
  resend(call: LiveCall, userId: string, deviceId: string): void {
    const box = call.outboxes.get(deviceKey(userId, deviceId));
    for (const payload of box?.unacked ?? []) {
      this.ctx.delivery.toDeviceAcked(userId, deviceId, 'call:signal', payload, () => acknowledge(box!, payload.seq));
    }
  }
}
