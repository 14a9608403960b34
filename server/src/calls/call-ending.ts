import { randomUUID } from 'node:crypto';
import type { CallOutcome, EndReason, MissedCall } from '../../../shared/protocol';
import type { CallContext } from './call-context';
import { ringingCalleeDevices, type LiveCall } from './live-call';
import { GRACE_TIMER, graceTimerId, RING_TIMER } from './call-timers';

/** Who is told `call:ended`, and with which reason. */
export interface EndNotice {
  userId: string;
  deviceId: string;
  reason: EndReason;
}

export interface CallEndSpec {
  outcome: CallOutcome;
  endReason: EndReason;
  /** The user whose action ended the call, when one did. */
  endedBy: string | null;
  /** Record a missed call for the callee (committed with the final record). */
  missed: boolean;
  notices: EndNotice[];
  /** When the call really ended, if earlier than now (a lost device: when it was last heard from). */
  endedAt?: number;
}

/** The statuses for which the callee gets a missed call (see SEMANTICS.md). */
export const MISSED_OUTCOMES: ReadonlySet<CallOutcome> = new Set(['no-answer', 'unavailable', 'cancelled', 'busy', 'missed']);

/**
 * The one place a live call ends: stop its timers, drop it from memory, write the final record (and
 * missed call) in one transaction, tell the devices, deliver the missed call live, run the hooks.
 * Normally the record is on disk before anyone is told. When storage refuses it (disk full), the
 * devices are told all the same and the record waits in ctx.writer, retried until it is written;
 * the missed call is delivered live only then. Never throws for storage.
 */
export async function finishCall(ctx: CallContext, call: LiveCall, spec: CallEndSpec): Promise<MissedCall | null> {
  if (ctx.registry.get(call.callId) !== call) return null; // already ended
  ctx.timers.cancel(RING_TIMER, call.callId);
  call.disconnected.forEach((key) => ctx.timers.cancel(GRACE_TIMER, graceTimerId(call.callId, key)));
  ctx.registry.remove(call);

  const endedAt = Math.max(call.answeredAt ?? call.startedAt, Math.min(ctx.clock.now(), spec.endedAt ?? Infinity));
  const missedId = spec.missed ? randomUUID() : null;
  const end = {
    callId: call.callId,
    outcome: spec.outcome,
    endReason: spec.endReason,
    endedBy: spec.endedBy,
    endedAt: new Date(endedAt).toISOString(),
    ringMs: Math.max(0, (call.answeredAt ?? endedAt) - call.startedAt),
    talkMs: call.answeredAt === null ? null : Math.max(0, endedAt - call.answeredAt),
    devicesRung: [...call.delivered],
    missed: missedId ? { id: missedId, userId: call.callee.userId } : null,
  };
  const missed: MissedCall | null = missedId
    ? { id: missedId, callId: call.callId, from: call.caller, media: call.media, at: end.endedAt, reason: spec.endReason }
    : null;
  const deliverMissed = () => missed && ctx.delivery.toUser(call.callee.userId, 'missed:calls', { calls: [missed] });
  const written = await ctx.writer.write(`end of call ${call.callId}`, () => ctx.repo.finish(end), deliverMissed);
  ctx.logger.info({ event: 'call-ended', callId: call.callId, outcome: spec.outcome, endReason: spec.endReason, recorded: written }, 'call ended');

  for (const notice of spec.notices) {
    ctx.delivery.toDevice(notice.userId, notice.deviceId, 'call:ended', {
      callId: call.callId,
      reason: notice.reason,
      ...(spec.endedBy ? { by: spec.endedBy } : {}),
    });
  }
  if (written) deliverMissed();
  ctx.hooks.onCallEnded(call, { outcome: spec.outcome, endReason: spec.endReason });
  if (call.status === 'active') {
    ctx.onCallStateChanged(call.caller.userId);
    ctx.onCallStateChanged(call.callee.userId);
  }
  return missed;
}

/** Notices for the caller's device and every callee device the call still rings on. */
export function ringingNotices(call: LiveCall, reason: EndReason, calleeReason: EndReason = reason, exceptCallee?: string): EndNotice[] {
  return [
    { userId: call.caller.userId, deviceId: call.callerDeviceId, reason },
    ...ringingCalleeDevices(call, exceptCallee).map((deviceId) => ({ userId: call.callee.userId, deviceId, reason: calleeReason })),
  ];
}

/** Arms the ring timer for `call.ringUntil` (also after a restart); at the deadline an unanswered call ends no-answer (ringTimeUp). */
export function armRingTimer(ctx: CallContext, call: LiveCall): void {
  ctx.timers.schedule(RING_TIMER, call.callId, call.ringUntil);
}

/** The ring timer's handler: re-checks that the call still rings (a late or repeated timer does nothing). */
export function ringTimeUp(ctx: CallContext, callId: string): void {
  const call = ctx.registry.get(callId);
  if (call?.status !== 'ringing') return;
  void finishCall(ctx, call, { outcome: 'no-answer', endReason: 'no-answer', endedBy: null, missed: true, notices: ringingNotices(call, 'no-answer') });
}
