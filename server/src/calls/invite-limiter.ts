import { consumeOrRefuse, memoryLimiters, type RateLimiterFactory } from '../limits/rate-limiter-factory';
import type { InviteLimiter } from './call-service';

export interface InviteLimits {
  /** Invites one user may place per window (INVITE_RATE_LIMIT). */
  perCaller: number;
  /** Invites one user may receive per window, whoever calls (INCOMING_INVITE_RATE_LIMIT). */
  perCallee: number;
  windowS: number;
}

/**
 * Invites are limited per caller and per callee: fresh accounts escape the per-caller limit, so the
 * callee's own budget is what stops a ring-bomb. The caller's limit is checked before the callee is
 * looked up (so it also bounds probing for usernames), the callee's after.
 */
export function inviteLimiter(limits: InviteLimits, createRateLimiter: RateLimiterFactory = memoryLimiters): InviteLimiter {
  const outgoing = createRateLimiter({ name: 'invite', points: limits.perCaller, durationS: limits.windowS });
  const incoming = createRateLimiter({ name: 'invite-incoming', points: limits.perCallee, durationS: limits.windowS });
  return {
    outgoing: (callerId) => consumeOrRefuse(outgoing, callerId, 'Too many calls'),
    incoming: (calleeId) => consumeOrRefuse(incoming, calleeId, 'This person is receiving too many calls'),
  };
}
