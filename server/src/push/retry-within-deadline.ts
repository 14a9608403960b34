/** One attempt's verdict: finished (success or a permanent failure), or worth another try. */
export type AttemptVerdict<T> = { retry: false; value: T } | { retry: true; value: T; retryAfterMs: number | null };

export interface RetryOptions {
  /** Epoch ms after which no attempt starts and no attempt runs on (the ring window's end). */
  deadline: number;
  /** Cap for a single attempt. */
  attemptTimeoutMs: number;
  baseDelayMs: number;
  /** At most this many attempts (default: as many as the deadline allows). */
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Asked after each wait, before the next attempt: false ends the retries (the push is no longer wanted). */
  stillWanted?: () => Promise<boolean>;
  now?: () => number;
  random?: () => number;
}

export interface RetryResult<T> {
  value: T;
  attempts: number;
  /** True when the last verdict still asked for a retry but the window (or the signal) ran out. */
  exhausted: boolean;
}

const MAX_BACKOFF_FACTOR = 8;

/**
 * Runs `attempt` until it returns a final verdict or the deadline leaves no room for another one.
 * Delays grow exponentially with jitter; a provider's Retry-After wins when it asks for longer.
 */
export async function retryWithinDeadline<T>(
  attempt: (timeoutMs: number, attemptNumber: number) => Promise<AttemptVerdict<T>>,
  options: RetryOptions,
): Promise<RetryResult<T>> {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    const remaining = options.deadline - now();
    const verdict = await attempt(Math.max(1, Math.min(options.attemptTimeoutMs, remaining)), attemptNumber);
    if (!verdict.retry) return { value: verdict.value, attempts: attemptNumber, exhausted: false };

    const backoff = backoffDelay(options.baseDelayMs, attemptNumber, random);
    const delay = Math.max(backoff, verdict.retryAfterMs ?? 0);
    if (options.signal?.aborted || attemptNumber >= (options.maxAttempts ?? Infinity) || now() + delay >= options.deadline) {
      return { value: verdict.value, attempts: attemptNumber, exhausted: true };
    }
    const completed = (await sleep(delay, options.signal)) && (await (options.stillWanted?.() ?? true));
    if (!completed) return { value: verdict.value, attempts: attemptNumber, exhausted: true };
  }
}

/** The wait after failed attempt `attemptNumber`: the base, doubling per attempt up to 8x, jittered to 50-100 %. */
export function backoffDelay(baseDelayMs: number, attemptNumber: number, random: () => number = Math.random): number {
  return baseDelayMs * Math.min(MAX_BACKOFF_FACTOR, 2 ** (attemptNumber - 1)) * (0.5 + random() / 2);
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retry-After is delta-seconds or an HTTP date. Returns milliseconds, or null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
