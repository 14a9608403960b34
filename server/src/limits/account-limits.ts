import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { consumeOrRefuse, memoryLimiters, rateLimited, type RateLimiterFactory } from './rate-limiter-factory';

export interface LoginThrottleSettings {
  /** Wrong passwords for one (username, address) before each further try must wait. */
  freeFailures: number;
  /** The longest wait, seconds (the wait doubles from 1 s per further failure). */
  maxDelayS: number;
  /** Wrong passwords from one address, any username, per window. */
  addressFailures: number;
  addressWindowS: number;
}

/** How long consecutive failures of one (username, address) are remembered without a new one. */
const FAILURE_MEMORY_S = 24 * 3_600;

/**
 * Throttles password guessing, keyed by client address, so it can never lock an account's owner out:
 * - per (username, address): after `freeFailures` wrong passwords in a row, every further try waits
 *   1 s, 2 s, 4 s ... up to `maxDelayS` (answered 429 RATE_LIMITED with Retry-After); the right
 *   password clears the count;
 * - per address: at most `addressFailures` wrong passwords per window, whatever the username.
 * The same username from another address is untouched, so its owner still signs in there.
 */
export class LoginThrottle {
  private readonly failures: RateLimiterAbstract;
  private readonly delays: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  constructor(
    private readonly settings: LoginThrottleSettings,
    createRateLimiter: RateLimiterFactory = memoryLimiters,
  ) {
    this.failures = createRateLimiter({ name: 'login-failures', points: Number.MAX_SAFE_INTEGER, durationS: FAILURE_MEMORY_S });
    this.delays = createRateLimiter({ name: 'login-delay', points: 1, durationS: 1 });
    this.perAddress = createRateLimiter({ name: 'login-address', points: settings.addressFailures, durationS: settings.addressWindowS });
  }

  /** Throws RATE_LIMITED while this try must wait. */
  async check(username: string, address: string): Promise<void> {
    const [byAddress, delay] = await Promise.all([this.perAddress.get(address), this.delays.get(pairKey(username, address))]);
    if (byAddress && byAddress.consumedPoints >= this.settings.addressFailures) throw rateLimited('Too many failed sign-ins from this address', byAddress.msBeforeNext);
    if (delay && delay.consumedPoints > 1) throw rateLimited('Too many failed sign-ins', delay.msBeforeNext);
  }

  async failed(username: string, address: string): Promise<void> {
    const key = pairKey(username, address);
    const [counted] = await Promise.all([this.failures.penalty(key, 1), this.perAddress.penalty(address, 1)]);
    const over = counted.consumedPoints - this.settings.freeFailures;
    if (over >= 0) await this.delays.block(key, Math.min(this.settings.maxDelayS, 2 ** Math.min(over, 30)));
  }

  async succeeded(username: string, address: string): Promise<void> {
    const key = pairKey(username, address);
    await Promise.all([this.failures.delete(key), this.delays.delete(key)]);
  }
}

const pairKey = (username: string, address: string) => `${username}|${address}`;

/** Registrations per client address: each one costs a password hash and makes an identity that escapes per-user limits. */
export function registrationLimiter(points: number, windowS: number, createRateLimiter: RateLimiterFactory = memoryLimiters): (address: string) => Promise<void> {
  const limiter = createRateLimiter({ name: 'register', points, durationS: windowS });
  return (address) => consumeOrRefuse(limiter, address, 'Too many accounts registered from this address');
}
