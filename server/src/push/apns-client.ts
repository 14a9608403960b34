import { z } from 'zod';
import type { ApnsEnvironment, PushPayload } from '../../../shared/protocol/push';
import { Http2Origin, type Http2OriginOptions, type Http2Response } from './http2-origin';
import { ApnsProviderToken, type ApnsKey } from './apns-provider-token';
import { PROVIDER_ORIGINS } from './push-config';
import { finalOutcome, type PushOutcome, type PushProvider, type PushTarget, type SendOptions } from './push-provider';
import { deadToken, delivered, isRetryableStatus, parseJsonBody, rejected, retryLater, retryVerdictFor, verdictForError, type Verdict } from './provider-answer';
import { retryWithinDeadline } from './retry-within-deadline';

export interface ApnsClientOptions {
  key: ApnsKey;
  /** Used when a target has no bundle id of its own. */
  bundleId: string;
  defaultEnvironment: ApnsEnvironment;
  /** Replaces both APNs hosts (tests). */
  originOverride: string | null;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  tls?: Http2OriginOptions;
}

const ApnsErrorBody = z.object({ reason: z.string() });

/** APNs over HTTP/2 with token-based authentication, VoIP pushes only. */
export class ApnsClient implements PushProvider {
  private readonly token: ApnsProviderToken;
  private readonly origins = new Map<string, Http2Origin>();

  constructor(private readonly options: ApnsClientOptions) {
    this.token = new ApnsProviderToken(options.key);
  }

  async send(target: PushTarget, payload: PushPayload, { deadline, signal, maxAttempts, stillWanted }: SendOptions): Promise<PushOutcome> {
    const environment = target.environment ?? this.options.defaultEnvironment;
    const origin = this.originFor(environment);
    const headers = {
      'apns-push-type': 'voip',
      'apns-topic': `${target.bundleId ?? this.options.bundleId}.voip`,
      'apns-priority': '10',
      'apns-expiration': '0',
      'content-type': 'application/json',
    };
    const body = JSON.stringify(payload);
    const result = await retryWithinDeadline<PushOutcome>(
      async (timeoutMs) => {
        try {
          const jwt = await this.token.get();
          const response = await origin.request({
            method: 'POST',
            path: `/3/device/${encodeURIComponent(target.token)}`,
            headers: { ...headers, authorization: `bearer ${jwt}` },
            body,
            timeoutMs,
            signal,
          });
          return this.verdict(response);
        } catch (error) {
          return verdictForError(error);
        }
      },
      { deadline, signal, maxAttempts, stillWanted, attemptTimeoutMs: this.options.requestTimeoutMs, baseDelayMs: this.options.retryBaseDelayMs },
    );
    return finalOutcome(result);
  }

  close(): void {
    for (const origin of this.origins.values()) origin.close();
    this.origins.clear();
  }

  private verdict(response: Http2Response): Verdict {
    const { status } = response;
    if (status === 200) return delivered();
    const parsed = ApnsErrorBody.safeParse(parseJsonBody(response.body));
    const reason = parsed.success ? parsed.data.reason : `HTTP ${status}`;
    if (status === 410 || (status === 400 && reason === 'BadDeviceToken')) return deadToken(`APNs ${status} ${reason}`);
    if (status === 403 && reason === 'ExpiredProviderToken') {
      this.token.invalidate();
      return retryLater(`APNs 403 ${reason}`, 0);
    }
    if (isRetryableStatus(status)) return retryVerdictFor(response, `APNs ${status} ${reason}`);
    return rejected(`APNs ${status} ${reason}`);
  }

  private originFor(environment: ApnsEnvironment): Http2Origin {
    const url = this.options.originOverride ?? PROVIDER_ORIGINS.apns[environment];
    let origin = this.origins.get(url);
    if (!origin) {
      origin = new Http2Origin(url, this.options.tls);
      this.origins.set(url, origin);
    }
    return origin;
  }
}
