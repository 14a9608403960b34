import type { Http2Response } from './http2-origin';
import { TransportError } from './http2-origin';
import type { AttemptVerdict } from './retry-within-deadline';
import { parseRetryAfter } from './retry-within-deadline';
import type { PushOutcome } from './push-provider';

/** Attempt counts are filled in once retries are over. */
export type Verdict = AttemptVerdict<PushOutcome>;

export const delivered = (): Verdict => ({ retry: false, value: { status: 'delivered', attempts: 0, ackAt: Date.now() } });
export const deadToken = (reason: string): Verdict => ({ retry: false, value: { status: 'dead-token', attempts: 0, reason } });
export const rejected = (reason: string): Verdict => ({ retry: false, value: { status: 'rejected', attempts: 0, reason } });
export const retryLater = (reason: string, retryAfterMs: number | null): Verdict => ({
  retry: true,
  retryAfterMs,
  value: { status: 'gave-up', attempts: 0, reason, retryAfterMs },
});

/** 429 and 5xx are worth another try (after Retry-After when the provider sends one). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

export function retryVerdictFor(response: Http2Response, reason: string): Verdict {
  return retryLater(reason, parseRetryAfter(response.headers['retry-after']));
}

/** A thrown transport failure: retried, except when the push was called off. */
export function verdictForError(error: unknown): Verdict {
  if (error instanceof TransportError) {
    if (error.kind === 'aborted') return { retry: false, value: { status: 'gave-up', attempts: 0, reason: 'called off' } };
    return retryLater(error.message, null);
  }
  return retryLater(error instanceof Error ? error.message : String(error), null);
}

export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
