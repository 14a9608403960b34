export interface BackoffOptions {
  /** First delay (socket.io's reconnectionDelay). */
  delayMs: number;
  /** Upper bound (socket.io's reconnectionDelayMax). */
  maxDelayMs: number;
  /** 0..1: the delay varies by up to this fraction either way (socket.io's randomizationFactor). */
  jitter: number;
}

/**
 * A phone must not stay deaf for long: at most 5 s between attempts (socket.io's own default cap),
 * so that after a signalling cut of 20 s the device is back well within the server's 30 s resume
 * grace for an active call (a 10 s cap put it back 25-30 s after the cut start: too close).
 * checkConnection() covers wake and network changes at once.
 */
export const DEFAULT_BACKOFF: BackoffOptions = { delayMs: 1_000, maxDelayMs: 5_000, jitter: 0.5 };

/**
 * Exponential backoff with jitter, the same formula socket.io-client uses, for the reconnects it
 * does not do itself (a server-side disconnect, a refused handshake that may succeed later).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const base = Math.min(options.maxDelayMs, options.delayMs * 2 ** Math.max(0, attempt));
  const deviation = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(options.maxDelayMs, Math.round(base + deviation)));
}
