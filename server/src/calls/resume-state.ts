import { randomUUID } from 'node:crypto';
import { SIGNAL_BUFFER_LIMIT, type ServerPayload } from '../../../shared/protocol';
import type { LiveCall, SignalOutbox } from './live-call';

export type RelayedSignal = ServerPayload<'call:signal'>;
/** A signal before it is numbered for its receiving device. */
export type SignalBody = Omit<RelayedSignal, 'seq' | 'stream'>;

/**
 * What a call keeps for the resume of a participant device whose signalling dropped: which devices are
 * away (and since when), and per receiving device the signals it has not acknowledged (its outbox).
 * The single profile keeps both on this process's LiveCall (MemoryResumeState); the cluster profile in
 * Redis with a TTL (cluster/redis-resume-state.ts), so a device that comes back on another node gets what
 * was sent while it was away. `call.disconnected` / `call.lastSeen` stay this node's view of the away
 * devices (session:ready's peerConnected, the grace timers to cancel): `load` brings them up to date.
 * Keys are deviceKey() (`userId/deviceId`).
 */
export interface ResumeState {
  /** The device's signalling dropped; it was last heard from at `lastSeenAt`. */
  markAway(call: LiveCall, key: string, lastSeenAt: number): Promise<void>;
  /**
   * A device of the call is connecting (cluster: before it joins its rooms): signals for it are kept, not
   * sent, until `resume` sends them in order with those kept before. No-op in one process (it is ordered).
   */
  holdForResume(call: LiveCall, key: string): Promise<void>;
  /** The device is back: whether it was away, and every signal it has not acknowledged, oldest first. */
  resume(call: LiveCall, key: string): Promise<{ wasAway: boolean; unacked: RelayedSignal[] }>;
  /** This node's view of the call's away devices from the shared state (cluster); no-op in one process. */
  load(call: LiveCall): Promise<void>;
  /** Numbers a signal for its receiving device and keeps it until acknowledged; `away`: do not send it now. */
  enqueue(call: LiveCall, key: string, body: SignalBody): Promise<{ signal: RelayedSignal; away: boolean; dropped: number }>;
  acknowledge(call: LiveCall, key: string, seq: number): void;
  /** The call ended: its resume state goes. */
  forget(call: LiveCall): void;
}

/** The single profile: everything on the LiveCall, in this process (issue 10's behaviour). */
export class MemoryResumeState implements ResumeState {
  markAway(call: LiveCall, key: string, lastSeenAt: number): Promise<void> {
    call.disconnected.add(key);
    call.lastSeen.set(key, lastSeenAt);
    return Promise.resolve();
  }

  holdForResume(): Promise<void> {
    return Promise.resolve();
  }

  resume(call: LiveCall, key: string): Promise<{ wasAway: boolean; unacked: RelayedSignal[] }> {
    const wasAway = call.disconnected.delete(key);
    call.lastSeen.delete(key);
    return Promise.resolve({ wasAway, unacked: [...(call.outboxes.get(key)?.unacked ?? [])] });
  }

  load(): Promise<void> {
    return Promise.resolve();
  }

  enqueue(call: LiveCall, key: string, body: SignalBody): Promise<{ signal: RelayedSignal; away: boolean; dropped: number }> {
    const box = outboxOf(call, key);
    const signal: RelayedSignal = { ...body, seq: box.nextSeq++, stream: box.stream };
    box.unacked.push(signal);
    const dropped = Math.max(0, box.unacked.length - SIGNAL_BUFFER_LIMIT);
    if (dropped > 0) box.unacked.splice(0, dropped);
    return Promise.resolve({ signal, away: call.disconnected.has(key), dropped });
  }

  acknowledge(call: LiveCall, key: string, seq: number): void {
    const box = call.outboxes.get(key);
    if (box) box.unacked = box.unacked.filter((signal) => signal.seq !== seq);
  }

  forget(call: LiveCall): void {
    call.outboxes.clear();
  }
}

function outboxOf(call: LiveCall, key: string): SignalOutbox {
  let box = call.outboxes.get(key);
  if (!box) call.outboxes.set(key, (box = { stream: randomUUID(), nextSeq: 1, unacked: [] }));
  return box;
}
