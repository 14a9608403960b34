import type { ApnsEnvironment, PushPayload, PushPlatform } from '../../../shared/protocol/push';

/** Where one push goes: a registered device's credentials. */
export interface PushTarget {
  platform: PushPlatform;
  token: string;
  /** APNs only. */
  bundleId: string | null;
  /** APNs only. */
  environment: ApnsEnvironment | null;
}

export type PushOutcome =
  /** The provider accepted the push (HTTP 200). `ackAt` is when its answer arrived. */
  | { status: 'delivered'; attempts: number; ackAt: number }
  /** The provider says the token is gone for good: delete it. */
  | { status: 'dead-token'; attempts: number; reason: string }
  /** Any other permanent refusal (bad request, auth). Not retried. */
  | { status: 'rejected'; attempts: number; reason: string }
  /** 5xx, 429 or transport failures until the window closed (or the push was called off). */
  | { status: 'gave-up'; attempts: number; reason: string; retryAfterMs?: number | null };

export interface SendOptions {
  /** Epoch ms: no attempt after this (the ring window for invites). */
  deadline: number;
  /** Calls the push off (the call ended while its invite push was still being retried). */
  signal?: AbortSignal;
  /** At most this many attempts (a cancel push's durable retries make one attempt per timer). */
  maxAttempts?: number;
  /**
   * Asked before each retry: false calls the push off (an invite whose call stopped ringing on another node,
   * which `signal` never hears of).
   */
  stillWanted?: () => Promise<boolean>;
}

export interface PushProvider {
  send(target: PushTarget, payload: PushPayload, options: SendOptions): Promise<PushOutcome>;
  close(): void;
}

/** Maps a provider's last answer, after retries, to an outcome. */
export function finalOutcome(
  result: { value: PushOutcome; attempts: number; exhausted: boolean },
): PushOutcome {
  return { ...result.value, attempts: result.attempts };
}
