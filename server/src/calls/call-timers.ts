import type { CallContext } from './call-context';
import { ringTimeUp } from './call-ending';
import { CallLookup } from './call-lookup';
import type { DeviceSessions } from './device-sessions';
import { deviceKey } from './live-call';

/**
 * The call timers, each a durable timer (server/src/timers) named by kind and id, so any node can
 * arm, cancel and run them. Every handler re-checks the call's state first: a timer that fires late,
 * twice or after the call moved on does nothing. A new timer kind: a name here, its id format, one
 * handler registered in registerCallTimers.
 */
export const RING_TIMER = 'ring';
export const GRACE_TIMER = 'grace';

/** One resume-grace timer per call and participant device (deviceKey: `userId/deviceId`). */
export const graceTimerId = (callId: string, key: string) => `${callId}/${key}`;

export function parseGraceTimerId(timerId: string): { callId: string; key: string } {
  const slash = timerId.indexOf('/');
  return { callId: timerId.slice(0, slash), key: timerId.slice(slash + 1) };
}

/** How often each node of a cluster looks for ringing calls whose deadline passed without their timer firing ... */
export const DEADLINE_SWEEP_EVERY_MS = 5_000;
/** ... and how far past its deadline a call must be before the sweep ends it (its own timer normally has by then). */
export const DEADLINE_SWEEP_SLACK_MS = 2_000;

/**
 * Every node registers the handlers at start-up; each loads the call from storage if this node does not know it.
 * With a shared store (cluster) each node also sweeps the database for ringing calls past their deadline and for
 * participants away past the resume grace (calls.*_away_since): the safety net for timers that were lost (Redis
 * restarted without persistence, or a node died holding a timer Redis could not take). The end is the same
 * compare-and-set, and the grace's end re-checks that the device is still away, so sweeping on every node is harmless.
 * Returns the function that stops the sweep (graceful shutdown).
 */
export function registerCallTimers(ctx: CallContext, sessions: DeviceSessions): () => void {
  const lookup = new CallLookup(ctx);
  ctx.timers.handle(RING_TIMER, async (callId) => ringTimeUp(ctx, await lookup.get(callId)));
  ctx.timers.handle(GRACE_TIMER, async (timerId, dueAt) => {
    const { callId, key } = parseGraceTimerId(timerId);
    await sessions.graceDue(await lookup.get(callId), key, dueAt);
  });
  if (ctx.settings.soleWriter) return () => undefined;
  const sweep = setInterval(() => {
    sweepDueDeadlines(ctx, lookup, sessions).catch((error: unknown) => ctx.logger.warn({ event: 'deadline-sweep-failed', err: (error as Error).message }, 'deadline sweep failed'));
  }, DEADLINE_SWEEP_EVERY_MS).unref();
  return () => clearInterval(sweep);
}

async function sweepDueDeadlines(ctx: CallContext, lookup: CallLookup, sessions: DeviceSessions): Promise<void> {
  const now = ctx.clock.now();
  const due = new Date(now - DEADLINE_SWEEP_SLACK_MS).toISOString();
  for (const row of await ctx.repo.overdueRinging(due)) {
    ctx.logger.warn({ event: 'deadline-swept', callId: row.callId }, 'a ringing call outlived its deadline (its timer was lost): ending it');
    ringTimeUp(ctx, await lookup.get(row.callId));
  }
  // Resume graces: a participant away for longer than the grace (and its slack) whose grace timer did not end the call.
  const graceGone = new Date(now - ctx.settings.resumeGraceMs - DEADLINE_SWEEP_SLACK_MS).toISOString();
  for (const row of await ctx.repo.overdueAway(graceGone)) {
    const away = [
      { since: row.callerAwaySince, key: deviceKey(row.caller.userId, row.callerDeviceId) },
      { since: row.calleeAwaySince, key: deviceKey(row.callee.userId, row.answeredDeviceId ?? '') },
    ];
    for (const { since, key } of away) {
      if (since === null || since >= graceGone) continue;
      ctx.logger.warn({ event: 'grace-swept', callId: row.callId, device: key }, 'a resume grace outlived its end (its timer was lost): checking the device');
      await sessions.graceDue(await lookup.get(row.callId), key, Date.parse(since) + ctx.settings.resumeGraceMs);
    }
  }
}
