import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ProtocolError } from '../../../shared/protocol';

/** One limiter: `points` per `durationS` seconds per key. `name` prefixes its keys (one namespace per limit). */
export interface LimiterSpec {
  name: string;
  points: number;
  durationS: number;
}

/**
 * The one place the service creates rate limiters. Every limit (invites, incoming invites, logins,
 * registrations, call signals) is made by the factory the composition root picks, so the storage
 * behind all of them is chosen in one line:
 * - single profile: `memoryLimiters`, counts in this process;
 * - cluster profile: `redisLimiters(redis)`, counts shared by every node.
 */
export type RateLimiterFactory = (spec: LimiterSpec) => RateLimiterAbstract;

export const memoryLimiters: RateLimiterFactory = (spec) => new RateLimiterMemory({ keyPrefix: spec.name, points: spec.points, duration: spec.durationS });

/** Prefix of every rate-limit key in Redis (`rl:<limiter name>:<key>`). */
export const REDIS_LIMIT_PREFIX = 'rl';

/**
 * Limits shared by every node through Redis (one atomic script per consume). While Redis is down or
 * reconnecting, each limiter falls back at once (no wait) to an in-process insurance limiter with
 * the same budget: the limits then hold per node, never not at all, and a request is never refused
 * only because Redis is away. Counts made meanwhile are not copied back.
 */
export function redisLimiters(redis: Redis): RateLimiterFactory {
  return (spec) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${REDIS_LIMIT_PREFIX}:${spec.name}`,
      points: spec.points,
      duration: spec.durationS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memoryLimiters(spec),
    });
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
