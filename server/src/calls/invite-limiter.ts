import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ProtocolError } from '../../../shared/protocol';
import type { InviteLimiter } from './call-service';

/** INVITE_RATE_LIMIT invites per INVITE_RATE_WINDOW_S seconds per user (rate-limiter-flexible, in memory). */
export function inviteLimiter(points: number, durationSeconds: number): InviteLimiter {
  const limiter = new RateLimiterMemory({ keyPrefix: 'invite', points, duration: durationSeconds });
  return {
    async consume(userId) {
      try {
        await limiter.consume(userId);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          throw new ProtocolError('RATE_LIMITED', `Too many calls: try again in ${Math.ceil(error.msBeforeNext / 1000)} s`);
        }
        throw error;
      }
    },
  };
}
