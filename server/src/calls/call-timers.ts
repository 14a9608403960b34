import type { CallContext } from './call-context';
import { ringTimeUp } from './call-ending';
import { CallLookup } from './call-lookup';
import type { DeviceSessions } from './device-sessions';

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

/** Every node registers the handlers at start-up; each loads the call from storage if this node does not know it. */
export function registerCallTimers(ctx: CallContext, sessions: DeviceSessions): void {
  const lookup = new CallLookup(ctx);
  ctx.timers.handle(RING_TIMER, async (callId) => ringTimeUp(ctx, await lookup.get(callId)));
  ctx.timers.handle(GRACE_TIMER, async (timerId, dueAt) => {
    const { callId, key } = parseGraceTimerId(timerId);
    await sessions.graceDue(await lookup.get(callId), key, dueAt);
  });
}
