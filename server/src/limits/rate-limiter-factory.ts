import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ProtocolError } from '../../../shared/protocol';

/** One limiter: `points` per `durationS` seconds per key. `name` prefixes its keys (one namespace per limit). */
export interface LimiterSpec {
  name: string;
  points: number;
  durationS: number;
}

/**
 * The one place the service creates rate limiters. Every limit (invites, incoming invites, logins,
 * registrations, call signals) comes from here, so the storage behind all of them is chosen in one
 * line: in memory for a single process today; a shared store (e.g. RateLimiterRedis with a
 * RateLimiterMemory insurance limiter) for a cluster.
 */
export function createRateLimiter(spec: LimiterSpec): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationS });
}

/** The typed refusal for a limit: RATE_LIMITED with how long to wait (HTTP adds `Retry-After`). */
export function rateLimited(message: string, retryAfterMs: number): ProtocolError {
  const wait = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ProtocolError('RATE_LIMITED', `${message}: try again in ${wait} s`, undefined, { retryAfterMs: Math.max(0, Math.ceil(retryAfterMs)) });
}

/** Consumes `points` for `key`, or throws RATE_LIMITED (`message`) when the limit is reached. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string, message: string, points = 1): Promise<void> {
  try {
    await limiter.consume(key, points);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(message, error.msBeforeNext);
    throw error;
  }
}
