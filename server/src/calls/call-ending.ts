import { randomUUID } from 'node:crypto';
import type { CallOutcome, EndReason, MissedCall } from '../../../shared/protocol';
import type { CallContext } from './call-context';
import { ringingCalleeDevices, type LiveCall } from './live-call';

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
}

/** The statuses for which the callee gets a missed call (see SEMANTICS.md). */
export const MISSED_OUTCOMES: ReadonlySet<CallOutcome> = new Set(['no-answer', 'unavailable', 'cancelled', 'busy', 'missed']);

/**
 * The one place a live call ends: stop its timers, commit the final record (and missed call) to
 * SQLite, drop it from memory, THEN tell the devices, deliver the missed call live, run the hooks.
 */
export function finishCall(ctx: CallContext, call: LiveCall, spec: CallEndSpec): MissedCall | null {
  if (ctx.registry.get(call.callId) !== call) return null; // already ended
  if (call.ringTimer) ctx.clock.clearTimer(call.ringTimer);
  call.graceTimers.forEach((timer) => ctx.clock.clearTimer(timer));
  call.ringTimer = null;
  call.graceTimers.clear();

  const now = ctx.clock.now();
  const missedId = spec.missed ? randomUUID() : null;
  ctx.repo.finish({
    callId: call.callId,
    outcome: spec.outcome,
    endReason: spec.endReason,
    endedBy: spec.endedBy,
    endedAt: new Date(now).toISOString(),
    ringMs: Math.max(0, (call.answeredAt ?? now) - call.startedAt),
    talkMs: call.answeredAt === null ? null : Math.max(0, now - call.answeredAt),
    devicesRung: [...call.delivered],
    missed: missedId ? { id: missedId, userId: call.callee.userId } : null,
  });
  ctx.registry.remove(call);
  ctx.logger.info({ event: 'call-ended', callId: call.callId, outcome: spec.outcome, endReason: spec.endReason }, 'call ended');

  for (const notice of spec.notices) {
    ctx.delivery.toDevice(notice.userId, notice.deviceId, 'call:ended', {
      callId: call.callId,
      reason: notice.reason,
      ...(spec.endedBy ? { by: spec.endedBy } : {}),
    });
  }
  const missed: MissedCall | null = missedId
    ? { id: missedId, callId: call.callId, from: call.caller, media: call.media, at: new Date(now).toISOString(), reason: spec.endReason }
    : null;
  if (missed) ctx.delivery.toUser(call.callee.userId, 'missed:calls', { calls: [missed] });
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
