import { randomUUID } from 'node:crypto';
import type { CallContext as TransferContext, QueuedReplacement, TransferState } from '../../../shared/protocol';
import type { CallContext } from '../calls/call-context';
import { stopTimers } from '../calls/call-ending';
import type { CallLookup } from '../calls/call-lookup';
import { deviceKey } from '../calls/live-call';
import type { Tx } from '../db/schema';
import type { MovedEntry } from '../lines/queue-repo';
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
  /** Inside the transfer's transaction: the customer becomes an entry of the line. */
  enqueueTx(trx: Tx, entry: MovedEntry): Promise<void>;
  /** After the commit: the entry waits (timers, dispatch); what the customer's device is told. */
  movedIn(entryId: string): Promise<QueuedReplacement | null>;
}

/** Until lines are bound no name is a line. */
export const noLines: TransferLinePort = {
  lineOf: () => Promise.resolve(null),
  lineOfCall: () => Promise.resolve(null),
  takesCallers: () => Promise.resolve(false),
  canQueue: () => false,
  enqueueTx: () => Promise.reject(new Error('no lines on this server')),
  movedIn: () => Promise.resolve(null),
};

export interface LineMove {
  line: TransferLine;
  /** 0: at the back (a transfer to the line, D13); 1: at the front (a failed blind transfer of a line call, D14). */
  priority: 0 | 1;
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
 * transfer's compare-and-set, the original call active -> ended `transferred`, and the new queue entry (same
 * conversation, parent = the original). If any step loses (the call ended, the transfer moved on) nothing is written
 * or told. After the commit: `call:queued` to the customer, `call:ended transferred` to the agent (its
 * wrap-up follows from the call-ended hook, as for any line call), and the entry waits like any caller.
 */
export async function moveToLine(ctx: CallContext, repo: TransferRepo, lines: TransferLinePort, row: TransferRow, parties: TransferParties, move: LineMove, lookup: CallLookup): Promise<boolean> {
  const original = await lookup.current(row.originalCallId);
  if (original?.status !== 'active' || original.disconnected.has(deviceKey(row.customerId, row.customerDevice))) return false;
  const now = ctx.clock.now();
  const at = new Date(now).toISOString();
  const entry: MovedEntry = {
    id: randomUUID(),
    lineId: move.line.lineId,
    callerId: row.customerId,
    callerDeviceId: row.customerDevice,
    media: original.media,
    enqueuedAt: at,
    giveUpAt: new Date(now + move.line.maxWaitMs).toISOString(),
    conversationId: row.conversationId,
    parentCallId: original.callId,
    context: move.context,
    priority: move.priority,
  };
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

  const queued = await lines.movedIn(entry.id);
  if (queued) ctx.delivery.toDevice(row.customerId, row.customerDevice, 'call:queued', { oldCallId: original.callId, by: parties.transferor, queued });
  ctx.delivery.toDevice(row.transferorId, row.transferorDevice, 'call:ended', { callId: original.callId, reason: 'transferred', by: row.transferorId });
  ctx.hooks.onCallEnded(original, { outcome: 'answered', endReason: 'transferred' });
  const view = await repo.find(row.id);
  if (view) ctx.delivery.toDevice(row.transferorId, row.transferorDevice, 'transfer:updated', transferView(view, parties));
  for (const userId of [row.transferorId, row.customerId]) ctx.onCallStateChanged(userId);
  return true;
}
