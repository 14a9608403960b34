import { randomUUID } from 'node:crypto';
import { ProtocolError, type CallContext as TransferContext, type QueuedWhy, type TransferEndReason, type TransferMode, type TransferState, type UserIdentity } from '../../../shared/protocol';
import type { Actor } from '../calls/call-actor';
import type { CallContext } from '../calls/call-context';
import { stopTimers } from '../calls/call-ending';
import type { CallLookup } from '../calls/call-lookup';
import { deviceKey, otherEnd, type LiveCall } from '../calls/live-call';
import type { Tx } from '../db/schema';
import { movedEntry, type NewEntry } from '../lines/queue-repo';
import { transferredEnd } from './transfer-complete';
import type { TransferChange, TransferRepo, TransferRow } from './transfer-repo';
import { transferView, type TransferParties } from './transfer-views';

/** A service line as a transfer needs it. */
export interface TransferLine {
  lineId: string;
  maxWaitMs: number;
}

/** What transfers need of the lines module (bound in service.ts): the queue a customer can be moved into. */
export interface TransferLinePort {
  /** The line this users row is: `closed` for a closed line, null for a person. */
  lineOf(userId: string): Promise<TransferLine | 'closed' | null>;
  /** The line a stored call came from (an answered line call), or null. */
  lineOfCall(callId: string): Promise<TransferLine | null>;
  /** False while the line turns callers away (no agent staffs a `reject` line). */
  takesCallers(lineId: string): Promise<boolean>;
  /** False for a device whose app cannot show a queue (protocol < 1.3). */
  canQueue(userId: string, deviceId: string): boolean;
  /** Before the transfer's transaction: the entry's max-wait timer (moot if the entry is never stored). */
  armMaxWait(entry: NewEntry): Promise<void>;
  /** Inside the transfer's transaction: the customer becomes an entry of the line. */
  enqueueTx(trx: Tx, entry: NewEntry): Promise<void>;
  /** After the commit: the entry waits (timers, dispatch) and the customer's device is told `call:queued`. */
  movedIn(entryId: string, notice: { oldCallId: string; by: UserIdentity; why: QueuedWhy }): Promise<boolean>;
}

/** Until lines are bound no name is a line. */
export const noLines: TransferLinePort = {
  lineOf: () => Promise.resolve(null),
  lineOfCall: () => Promise.resolve(null),
  takesCallers: () => Promise.resolve(false),
  canQueue: () => false,
  armMaxWait: () => Promise.resolve(),
  enqueueTx: () => Promise.reject(new Error('no lines on this server')),
  movedIn: () => Promise.resolve(false),
};

export interface LineMove {
  line: TransferLine;
  /** 0: at the back (a transfer to the line, D13); 1: at the front (a failed blind transfer of a line call, D14). */
  priority: 0 | 1;
  /** What the customer's device is told (`call:queued.why`): `transferred` (D13) or `returned` (D14). */
  why: QueuedWhy;
  /** What the offered agent sees (a transfer to the line: by whom, for whom); null for a caller returning to its line. */
  context: TransferContext | null;
  /** The transfer's compare-and-set, in the same transaction. */
  from: readonly TransferState[];
  change: TransferChange;
  /** Who ended the customer's call with the agent (the transferor; null: the server, after a failed transfer). */
  endedBy: string | null;
}

/**
 * The customer leaves the answered call with the agent for a line's queue (design D13, D14), in ONE transaction: the
 * transfer's compare-and-set, the original call active -> ended `transferred` (with the agent's wrap-up if it was a
 * line call: the entry's dispatch never sees the agent free, D8), and the new queue entry (same conversation, parent =
 * the original). If any step loses (the call ended, the transfer moved on) nothing is written or told. After the
 * commit: `call:queued` to the customer, `call:ended transferred` to the agent, and the entry waits like any caller.
 */
export async function moveToLine(ctx: CallContext, repo: TransferRepo, lines: TransferLinePort, row: TransferRow, parties: TransferParties, move: LineMove, lookup: CallLookup): Promise<boolean> {
  const original = await lookup.current(row.originalCallId);
  if (original?.status !== 'active' || original.disconnected.has(deviceKey(row.customerId, row.customerDevice))) return false;
  const now = ctx.clock.now();
  const at = new Date(now).toISOString();
  const customer = { userId: row.customerId, deviceId: row.customerDevice };
  const entry = movedEntry({ line: move.line, customer, from: { ...original, conversationId: row.conversationId }, priority: move.priority, context: move.context, now });
  await lines.armMaxWait(entry);
  const won = await ctx.repo.allOrNothing(
    async (trx) =>
      (await repo.cas(row.id, move.from, { ...move.change, newCallId: entry.id }, { trx, at })) &&
      (await ctx.repo.finishTx(trx, transferredEnd(original, now, move.endedBy))) &&
      (await lines.enqueueTx(trx, entry).then(() => true)),
  );
  if (!won) return false;
  ctx.logger.info({ event: 'transfer-to-line', transferId: row.id, callId: original.callId, entryId: entry.id, lineId: entry.lineId, priority: entry.priority }, 'customer moved to a line');
  stopTimers(ctx, original);
  ctx.registry.remove(original);

  await lines.movedIn(entry.id, { oldCallId: original.callId, by: parties.transferor, why: move.why });
  ctx.delivery.toDevice(row.transferorId, row.transferorDevice, 'call:ended', { callId: original.callId, reason: 'transferred', by: row.transferorId });
  ctx.hooks.onCallEnded(original, { outcome: 'answered', endReason: 'transferred' });
  const view = await repo.find(row.id);
  if (view) ctx.delivery.toDevice(row.transferorId, row.transferorDevice, 'transfer:updated', transferView(view, parties));
  for (const userId of [row.transferorId, row.customerId]) ctx.onCallStateChanged(userId);
  return true;
}

/**
 * The two ways a customer is moved into a line (design D13, D14), each through moveToLine: the agent's blind transfer
 * to a line, and a failed blind transfer of a line call that returns the customer to the front of its line.
 */
export class LineMoves {
  constructor(
    private readonly ctx: CallContext,
    private readonly repo: TransferRepo,
    private readonly lines: TransferLinePort,
    private readonly calls: CallLookup,
  ) {}

  /**
   * Blind transfer to a line (D13): the agent is released at once and the customer waits in the line like any caller
   * (normal FIFO place). Consulting a line is refused: nobody is there to talk to until an agent answers, and an agent
   * held for a queue's wait is the waste D13 avoids. `moved: false`: the call ended meanwhile (the transfer is open).
   */
  async transfer(actor: Actor, call: LiveCall, mode: TransferMode, line: TransferLine, target: UserIdentity): Promise<{ transferId: string; parties: TransferParties; moved: boolean }> {
    if (mode !== 'blind') throw new ProtocolError('TARGET_UNAVAILABLE', `${target.username} is a service line: transfer to it (blind), or consult one of its agents`);
    const customer = otherEnd(call, actor.user.userId);
    if (!this.lines.canQueue(customer.user.userId, customer.deviceId)) throw new ProtocolError('PEER_OUTDATED', `${customer.user.username}'s app is too old to wait in a line`);
    if (call.disconnected.has(deviceKey(customer.user.userId, customer.deviceId))) throw new ProtocolError('INVALID_STATE', `${customer.user.username}'s connection is down: try again when it is back`);
    if (!(await this.lines.takesCallers(line.lineId))) throw new ProtocolError('TARGET_UNAVAILABLE', `No agent staffs ${target.username} now`);
    this.ctx.writer.requireWritable();
    const transferId = randomUUID();
    const opened = await this.repo.insertOpen({
      id: transferId,
      originalCallId: call.callId,
      conversationId: call.conversationId,
      kind: 'blind',
      transferorId: actor.user.userId,
      transferorDevice: actor.deviceId,
      customerId: customer.user.userId,
      customerDevice: customer.deviceId,
      targetId: target.userId,
      legCallId: null,
      state: 'ringing',
      liveLeg: 'leg',
      autoComplete: true,
      createdAt: new Date(this.ctx.clock.now()).toISOString(),
    });
    const row = opened ? await this.repo.find(transferId) : undefined;
    if (!row) throw new ProtocolError('TRANSFER_CONFLICT', 'This call already has an open transfer');
    const parties = { transferor: actor.user, customer: customer.user, target };
    const context = { kind: 'transfer' as const, by: actor.user, for: customer.user };
    const move: LineMove = { line, priority: 0, why: 'transferred', context, from: ['ringing'], change: { state: 'completed', completedBy: 'transferor' }, endedBy: actor.user.userId };
    return { transferId, parties, moved: await moveToLine(this.ctx, this.repo, this.lines, row, parties, move, this.calls) };
  }

  /** D14: a ringing blind transfer of a line call failed; the customer returns to the front of its line. False: not a line call, or a customer that cannot wait in one (recall instead). */
  async backToFront(row: TransferRow, endReason: TransferEndReason, parties: TransferParties): Promise<boolean> {
    const line = await this.lines.lineOfCall(row.originalCallId);
    if (!line || !this.lines.canQueue(row.customerId, row.customerDevice)) return false;
    const move: LineMove = { line, priority: 1, why: 'returned', context: null, from: ['ringing'], change: { state: 'failed', endReason }, endedBy: null };
    return moveToLine(this.ctx, this.repo, this.lines, row, parties, move, this.calls);
  }
}
