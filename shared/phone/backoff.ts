export interface BackoffOptions {
  /** First delay (socket.io's reconnectionDelay). */
  delayMs: number;
  /** Upper bound (socket.io's reconnectionDelayMax). */
  maxDelayMs: number;
  /** 0..1: the delay varies by up to this fraction either way (socket.io's randomizationFactor). */
  jitter: number;
}

/** A phone must not stay deaf for long: at most ~10 s between attempts (plus jitter), and checkConnection() for wake/network changes. */
export const DEFAULT_BACKOFF: BackoffOptions = { delayMs: 1_000, maxDelayMs: 10_000, jitter: 0.5 };

/**
 * Exponential backoff with jitter, the same formula socket.io-client uses, for the reconnects it
 * does not do itself (a server-side disconnect, a refused handshake that may succeed later).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number): number {
  const base = Math.min(options.maxDelayMs, options.delayMs * 2 ** Math.max(0, attempt));
  const deviation = base * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(options.maxDelayMs, Math.round(base + deviation)));
}
