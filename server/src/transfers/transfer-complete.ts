import { randomUUID } from 'node:crypto';
import type { CallContext } from '../calls/call-context';
import { stopTimers } from '../calls/call-ending';
import type { CallLookup } from '../calls/call-lookup';
import { GRACE_TIMER, graceTimerId } from '../calls/call-timers';
import { activeView, deviceKey, newLiveCall, type LiveCall } from '../calls/live-call';
import type { CallEnd } from '../db/calls-repo';
import { OPEN_STATES, type TransferRepo, type TransferRow } from './transfer-repo';
import { transferView, type TransferParties } from './transfer-views';

/**
 * The completion (design D12), in ONE transaction of compare-and-sets: the transfer open → completed, a fresh
 * answered call customer <-> target (same conversation, parent = the original), and both of the transferor's legs
 * active → ended `transferred`. If any of them loses (a leg ended, another node completed or cancelled first) the
 * whole transaction rolls back and nothing is told: the customer is never connected to a half-made call.
 * After the commit: `call:replaced` to the customer and the target, `call:ended transferred` to the transferor.
 */
export async function completeTransfer(
  ctx: CallContext,
  repo: TransferRepo,
  row: TransferRow,
  parties: TransferParties,
  completedBy: 'transferor' | 'system',
  lookup: CallLookup,
): Promise<boolean> {
  const original = await lookup.current(row.originalCallId);
  const leg = row.legCallId ? await lookup.current(row.legCallId) : undefined;
  if (original?.status !== 'active' || leg?.status !== 'active' || !leg.answeredDeviceId) return false;
  const now = ctx.clock.now();
  const at = new Date(now).toISOString();
  const newCallId = randomUUID();
  const ending = (call: LiveCall) => transferredEnd(call, now, completedBy === 'transferor' ? row.transferorId : null);
  const targetDevice = leg.answeredDeviceId;
  const won = await ctx.repo.allOrNothing(
    async (trx) =>
      (await repo.cas(row.id, OPEN_STATES, { state: 'completed', completedBy, newCallId }, { trx, at })) &&
      (await ctx.repo.finishTx(trx, ending(original))) &&
      (await ctx.repo.finishTx(trx, ending(leg))) &&
      (await ctx.repo
        .insertAnswered(trx, {
          callId: newCallId,
          callerId: row.customerId,
          calleeId: row.targetId,
          callerDeviceId: row.customerDevice,
          answeredDeviceId: targetDevice,
          media: original.media,
          at,
          links: { conversationId: row.conversationId, parentCallId: row.originalCallId, legKind: 'transferred' },
        })
        .then(() => true)),
  );
  if (!won) return false;
  ctx.logger.info({ event: 'transfer-completed', transferId: row.id, newCallId, completedBy }, 'transfer completed');

  const replacement = newLiveCall({
    callId: newCallId,
    caller: parties.customer,
    callee: parties.target,
    callerDeviceId: row.customerDevice,
    media: original.media,
    startedAt: now,
    ringUntil: now,
    conversationId: row.conversationId,
    legKind: 'transferred',
    transferredBy: parties.transferor,
  });
  replacement.status = 'active';
  replacement.answeredDeviceId = targetDevice;
  replacement.answeredAt = now;
  replacement.delivered.add(targetDevice);
  // A party within its resume grace stays so on the new call (its grace goes on from when it was last heard from).
  carryDisconnected(ctx, original, replacement, deviceKey(row.customerId, row.customerDevice));
  carryDisconnected(ctx, leg, replacement, deviceKey(row.targetId, targetDevice));
  for (const old of [original, leg]) {
    stopTimers(ctx, old);
    ctx.registry.remove(old);
  }
  ctx.registry.add(replacement);

  const by = parties.transferor;
  ctx.delivery.toDevice(row.customerId, row.customerDevice, 'call:replaced', { oldCallId: original.callId, by, call: activeView(replacement, row.customerId) });
  ctx.delivery.toDevice(row.targetId, targetDevice, 'call:replaced', { oldCallId: leg.callId, by, call: activeView(replacement, row.targetId) });
  for (const old of [original, leg]) {
    ctx.delivery.toDevice(row.transferorId, row.transferorDevice, 'call:ended', { callId: old.callId, reason: 'transferred', by: row.transferorId });
    ctx.hooks.onCallEnded(old, { outcome: 'answered', endReason: 'transferred' });
  }
  const view = await repo.find(row.id);
  if (view) ctx.delivery.toDevice(row.transferorId, row.transferorDevice, 'transfer:updated', transferView(view, parties));
  for (const userId of [row.transferorId, row.customerId, row.targetId]) ctx.onCallStateChanged(userId);
  return true;
}

/** The record of an answered call whose conversation moved on (a completed transfer, or the customer moved to a line). */
export function transferredEnd(call: LiveCall, now: number, endedBy: string | null): Omit<CallEnd, 'missed'> {
  return {
    callId: call.callId,
    from: 'active',
    outcome: 'answered',
    endReason: 'transferred',
    endedBy,
    endedAt: new Date(now).toISOString(),
    ringMs: Math.max(0, (call.answeredAt ?? now) - call.startedAt),
    talkMs: Math.max(0, now - (call.answeredAt ?? now)),
    devicesRung: [...call.delivered],
    recordedAt: now,
  };
}

function carryDisconnected(ctx: CallContext, from: LiveCall, to: LiveCall, key: string): void {
  if (!from.disconnected.has(key)) return;
  const lastSeen = from.lastSeen.get(key) ?? ctx.clock.now();
  to.disconnected.add(key);
  to.lastSeen.set(key, lastSeen);
  void ctx.timers.schedule(GRACE_TIMER, graceTimerId(to.callId, key), lastSeen + ctx.settings.resumeGraceMs);
}
