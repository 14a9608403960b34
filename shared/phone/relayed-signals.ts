import type { ServerPayload } from '../protocol';

/** Calls whose numbering is remembered; past it the oldest call's is forgotten (it ended long ago). */
const REMEMBERED_CALLS = 100;

/**
 * The receiving half of signal delivery: each relayed `call:signal` reaches the call once. The server
 * numbers the signals it relays to this device, per call, in a numbering `stream`, keeps each until
 * this device acknowledges it, and sends the unacknowledged ones again when the device reconnects. A
 * signal whose acknowledgement was lost therefore arrives twice with the same stream and seq; the
 * copy is dropped here. A restarted server has lost its numbering and starts again at 1 under a new
 * stream: a new stream is never a copy.
 */
export class RelayedSignals {
  private readonly last = new Map<string, { stream: string; seq: number }>();

  /** True for a signal not seen before (deliver it); false for a copy of one already delivered. */
  accept(signal: Pick<ServerPayload<'call:signal'>, 'callId' | 'stream' | 'seq'>): boolean {
    const seen = this.last.get(signal.callId);
    if (seen && seen.stream === signal.stream && signal.seq <= seen.seq) return false;
    this.last.delete(signal.callId);
    this.last.set(signal.callId, { stream: signal.stream, seq: signal.seq });
    if (this.last.size > REMEMBERED_CALLS) this.last.delete(this.last.keys().next().value as string);
    return true;
  }
}
