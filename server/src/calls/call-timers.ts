import type { CallContext } from './call-context';
import { ringTimeUp } from './call-ending';
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

export function registerCallTimers(ctx: CallContext, sessions: DeviceSessions): void {
  ctx.timers.handle(RING_TIMER, (callId) => ringTimeUp(ctx, callId));
  ctx.timers.handle(GRACE_TIMER, (timerId) => sessions.graceDue(timerId));
}
