import { randomUUID } from 'node:crypto';
import type { CallOutcome, EndReason, MissedCall } from '../../../shared/protocol';
import type { CallEnd } from '../db/calls-repo';
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
 * The one place a call ends: one compare-and-set from the state this node knows (ringing or active) to ended,
 * with the final record, the missed call and an agent's wrap-up in the same transaction; then the devices are told,
 * the missed call is delivered live and the hooks run. The call leaves this node's registry at once, so a second end
 * here is a no-op ('lost'); its parties count as in a call until the end is stored (CallRegistry.ending).
 * - 'won': this end is the record; it was told.
 * - 'lost': the stored call had moved on (another node answered or ended it first): nothing is written or
 *   told here, the state of record stands.
 * - 'deferred' (single profile only, storage refusing writes): told now, recorded in order once storage is
 *   back (ctx.writer); the missed call is delivered live only then.
 * In the cluster profile, an end storage cannot take throws STORAGE_UNAVAILABLE and the call stays as it was.
 */
export async function finishCall(ctx: CallContext, call: LiveCall, spec: CallEndSpec): Promise<'won' | 'lost' | 'deferred'> {
  if (ctx.registry.get(call.callId) !== call) return 'lost'; // already ended here
  stopTimers(ctx, call);
  ctx.registry.ending(call);

  const now = ctx.clock.now();
  const endedAt = Math.max(call.answeredAt ?? call.startedAt, Math.min(now, spec.endedAt ?? Infinity));
  const missedId = spec.missed ? randomUUID() : null;
  const end: CallEnd = {
    callId: call.callId,
    from: call.status,
    outcome: spec.outcome,
    endReason: spec.endReason,
    endedBy: spec.endedBy,
    endedAt: new Date(endedAt).toISOString(),
    ringMs: Math.max(0, (call.answeredAt ?? endedAt) - call.startedAt),
    talkMs: call.answeredAt === null ? null : Math.max(0, endedAt - call.answeredAt),
    devicesRung: [...call.delivered],
    missed: missedId ? { id: missedId, userId: call.callee.userId } : null,
    recordedAt: now,
  };
  const missed: MissedCall | null = missedId
    ? { id: missedId, callId: call.callId, from: call.caller, media: call.media, at: end.endedAt, reason: spec.endReason }
    : null;
  const deliverMissed = () => missed && ctx.delivery.toUser(call.callee.userId, 'missed:calls', { calls: [missed] });
  const stopsRinging = call.status === 'ringing';
  let result: 'won' | 'lost' | 'deferred';
  try {
    if (stopsRinging) await ctx.hooks.beforeRingingStops(call, { reason: spec.endReason, answeredDeviceId: null });
    result = await ctx.writer.commit(`end of call ${call.callId}`, () => ctx.repo.finish(end), deliverMissed);
  } catch (error) {
    ctx.registry.add(call); // not ended: the call is as it was
    if (stopsRinging) ctx.hooks.onRingingStopUndone(call);
    throw error;
  } finally {
    ctx.registry.ended(call);
  }
  ctx.logger.info({ event: 'call-ended', callId: call.callId, outcome: spec.outcome, endReason: spec.endReason, result }, 'call ended');
  if (result === 'lost') {
    if (stopsRinging) ctx.hooks.onRingingStopUndone(call);
    return result;
  }
  ctx.resume.forget(call);

  for (const notice of spec.notices) {
    ctx.delivery.toDevice(notice.userId, notice.deviceId, 'call:ended', {
      callId: call.callId,
      reason: notice.reason,
      ...(spec.endedBy ? { by: spec.endedBy } : {}),
    });
  }
  if (result === 'won') deliverMissed();
  ctx.hooks.onCallEnded(call, { outcome: spec.outcome, endReason: spec.endReason, ...(end.agents ? { agents: end.agents } : {}) });
  if (call.status === 'active') {
    ctx.onCallStateChanged(call.caller.userId);
    ctx.onCallStateChanged(call.callee.userId);
  }
  return result;
}

/** Disarms the call's ring timer and the resume grace of its away devices (best effort: every handler re-checks). */
export function stopTimers(ctx: CallContext, call: LiveCall): void {
  ctx.timers.cancel(RING_TIMER, call.callId);
  call.disconnected.forEach((key) => ctx.timers.cancel(GRACE_TIMER, graceTimerId(call.callId, key)));
}

/**
 * An end a timer decided (ring deadline, resume grace). When storage cannot take it (cluster profile,
 * Postgres down) it is tried again a little later: the compare-and-set makes a late or repeated try harmless.
 * Settles once the first try is over (stored, or a retry armed): start-up waits for it (DeviceSessions.restore).
 */
export function finishFromTimer(ctx: CallContext, call: LiveCall, spec: () => CallEndSpec): Promise<void> {
  return finishCall(ctx, call, spec()).then(
    () => undefined,
    (error: unknown) => {
      ctx.logger.warn({ event: 'timer-end-retry', callId: call.callId, err: error }, 'a timed call end could not be stored; retrying');
      ctx.clock.setTimer(() => void finishFromTimer(ctx, call, spec), TIMER_RETRY_MS);
    },
  );
}

/** How soon a timed end that storage refused is tried again. */
export const TIMER_RETRY_MS = 1_000;

/** Notices for the caller's device and every callee device the call still rings on. */
export function ringingNotices(call: LiveCall, reason: EndReason, calleeReason: EndReason = reason, exceptCallee?: string): EndNotice[] {
  return [
    { userId: call.caller.userId, deviceId: call.callerDeviceId, reason },
    ...ringingCalleeDevices(call, exceptCallee).map((deviceId) => ({ userId: call.callee.userId, deviceId, reason: calleeReason })),
  ];
}

/** Arms the ring timer for `call.ringUntil` (also after a restart); at the deadline an unanswered call ends no-answer (ringTimeUp). */
export function armRingTimer(ctx: CallContext, call: LiveCall): Promise<void> {
  return ctx.timers.schedule(RING_TIMER, call.callId, call.ringUntil);
}

/** The ring timer's handler, on whichever node runs it: re-checks that the call still rings (the end is a compare-and-set). */
export function ringTimeUp(ctx: CallContext, call: LiveCall | undefined): void {
  if (call?.status !== 'ringing') return;
  // The call stopped ringing at its deadline (every phone stops by its own clock): a late timer or the sweep does not lengthen it.
  void finishFromTimer(ctx, call, () => ({ outcome: 'no-answer', endReason: 'no-answer', endedBy: null, missed: true, endedAt: call.ringUntil, notices: ringingNotices(call, 'no-answer') }));
}
