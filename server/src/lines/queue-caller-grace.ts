import type { CallContext } from '../calls/call-context';
import type { QueueEntry, QueueRepo } from './queue-repo';

/** A waiting caller's resume grace: one durable timer per entry, due when the grace of its latest drop ends. */
export const LINE_CALLER_GRACE_TIMER = 'line-caller-grace';

const iso = (ms: number) => new Date(ms).toISOString();

export interface CallerGraceDeps {
  ctx: CallContext;
  repo: QueueRepo;
  /** The caller did not come back: the entry is abandoned as of `since` (false: it had moved on meanwhile). */
  lost(entry: QueueEntry, since: string): Promise<void>;
}

/**
 * A waiting caller whose signalling drops keeps its place in line for the resume grace, as a ringing caller keeps its
 * call ringing (docs/lines.md "Queue"): the entry is marked away since the device was last heard from and a
 * `line-caller-grace` timer is armed; a return within the grace clears the mark (session:ready.queuedCalls gives the
 * device its place back); past it the entry is abandoned (connection-lost). The timer's handler re-checks, on whichever
 * node runs it, that the entry is still open, still away since that drop and the device still has no socket anywhere,
 * so a stale or repeated timer changes nothing.
 */
export class CallerGrace {
  constructor(private readonly deps: CallerGraceDeps) {
    deps.ctx.timers.handle(LINE_CALLER_GRACE_TIMER, (entryId, dueAt) => this.due(entryId, dueAt));
  }

  private get graceMs(): number {
    return this.deps.ctx.settings.resumeGraceMs;
  }

  /** A device dropped (last heard from at `lastSeenAt`): if it is a waiting caller's, its entries are marked away (a read for any other device). */
  async gone(userId: string, deviceId: string, lastSeenAt: number): Promise<void> {
    if ((await this.deps.repo.openOfCaller(userId, deviceId)).length === 0) return;
    await this.arm(await this.deps.repo.callerAway({ userId, deviceId }, iso(lastSeenAt)), lastSeenAt);
  }

  /** The caller's device connected again: its entries are no longer away, and their timers go. */
  async back(userId: string, deviceId: string): Promise<void> {
    for (const entryId of await this.deps.repo.callerBack(userId, deviceId)) {
      this.deps.ctx.timers.cancel(LINE_CALLER_GRACE_TIMER, entryId);
      this.deps.ctx.logger.info({ event: 'line-caller-back', callId: entryId }, 'a waiting caller came back within the grace: it keeps its place');
    }
  }

  /** Start of the only node (single profile): every waiting caller is away since `upSince`, as restored calls are. */
  async restore(upSince: number): Promise<void> {
    await this.arm(await this.deps.repo.callerAway(null, iso(upSince)), upSince);
  }

  /** The entry no longer waits (answered, cancelled, timed out): its grace timer goes. */
  cancel(entryId: string): void {
    this.deps.ctx.timers.cancel(LINE_CALLER_GRACE_TIMER, entryId);
  }

  private async arm(entries: readonly QueueEntry[], since: number): Promise<void> {
    for (const entry of entries) {
      await this.deps.ctx.timers.schedule(LINE_CALLER_GRACE_TIMER, entry.id, since + this.graceMs);
      this.deps.ctx.logger.info({ event: 'line-caller-away', callId: entry.id, lineId: entry.lineId }, 'a waiting caller dropped: its place is kept for the resume grace');
    }
  }

  /** `dueAt`: the end of the grace this timer was armed for. */
  private async due(entryId: string, dueAt: number): Promise<void> {
    const entry = await this.deps.repo.find(entryId);
    if (!entry || (entry.state !== 'waiting' && entry.state !== 'offered') || entry.callerAwaySince === null) return;
    // The timer of an earlier drop (the device came back and dropped again): the later drop's own timer decides.
    if (Date.parse(entry.callerAwaySince) + this.graceMs > dueAt) return;
    // Back (a reconnect whose "back" lost the race with its own drop's write): it keeps waiting, no longer away.
    if (await this.deps.ctx.delivery.isOnline(entry.callerId, entry.callerDeviceId)) {
      await this.deps.repo.callerBack(entry.callerId, entry.callerDeviceId);
      return;
    }
    await this.deps.lost(entry, entry.callerAwaySince);
  }
}
