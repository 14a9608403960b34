import { consumeOrRefuse, memoryLimiters, type RateLimiterFactory } from './rate-limiter-factory';

export interface SignalLimits {
  messages: number;
  bytes: number;
  windowS: number;
}

/**
 * Per-device limits on `call:signal` (a device has one socket): messages and bytes per window. A call
 * needs a few dozen signals (offer, answer, candidates, the odd ICE restart), a few KB each; a flood
 * would push the other device into the slow-consumer cut-off over a slow link. Over the limit:
 * RATE_LIMITED, nothing relayed. Keyed by device, a reconnect does not reset the budget.
 */
export function signalLimiter(limits: SignalLimits, createRateLimiter: RateLimiterFactory = memoryLimiters): (deviceKey: string, bytes: number) => Promise<void> {
  const messages = createRateLimiter({ name: 'signal-messages', points: limits.messages, durationS: limits.windowS });
  const volume = createRateLimiter({ name: 'signal-bytes', points: limits.bytes, durationS: limits.windowS });
  return async (deviceKey, bytes) => {
    await consumeOrRefuse(messages, deviceKey, 'Too many call signals');
    await consumeOrRefuse(volume, deviceKey, 'Too much call signalling data', bytes);
  };
}
