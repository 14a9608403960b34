import { consumeOrRefuse, createRateLimiter } from './rate-limiter-factory';

export interface SignalLimits {
  messages: number;
  bytes: number;
  windowS: number;
}

/**
 * Per-socket limits on `call:signal`: messages and bytes per window. A call needs a few dozen signals
 * (offer, answer, candidates, the odd ICE restart), a few KB each; a flood would push the other device
 * into the slow-consumer cut-off over a slow link. Over the limit: RATE_LIMITED, nothing relayed.
 */
export function signalLimiter(limits: SignalLimits): (socketId: string, bytes: number) => Promise<void> {
  const messages = createRateLimiter({ name: 'signal-messages', points: limits.messages, durationS: limits.windowS });
  const volume = createRateLimiter({ name: 'signal-bytes', points: limits.bytes, durationS: limits.windowS });
  return async (socketId, bytes) => {
    await consumeOrRefuse(messages, socketId, 'Too many call signals');
    await consumeOrRefuse(volume, socketId, 'Too much call signalling data', bytes);
  };
}
