import { z } from 'zod';
import { toFcmData, type PushPayload } from '../../../shared/protocol/push';
import { Http2Origin, type Http2OriginOptions, type Http2Response } from './http2-origin';
import { AccessTokenError, FcmAccessToken, type ServiceAccount } from './fcm-access-token';
import { PROVIDER_ORIGINS } from './push-config';
import { finalOutcome, type PushOutcome, type PushProvider, type PushTarget, type SendOptions } from './push-provider';
import { deadToken, delivered, isRetryableStatus, parseJsonBody, rejected, retryLater, retryVerdictFor, verdictForError, type Verdict } from './provider-answer';
import { parseRetryAfter, retryWithinDeadline } from './retry-within-deadline';

export interface FcmClientOptions {
  account: ServiceAccount;
  /** Replaces the FCM send origin and the OAuth token URI's origin (token path becomes /token). */
  originOverride: string | null;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
  tls?: Http2OriginOptions;
}

const FcmErrorBody = z.object({
  error: z.object({
    code: z.number().optional(),
    status: z.string().optional(),
    message: z.string().optional(),
    details: z.array(z.object({ '@type': z.string().optional(), errorCode: z.string().optional() }).passthrough()).optional(),
  }),
});

/** FCM HTTP v1 `messages:send`: high-priority, data-only, zero-TTL messages. */
export class FcmClient implements PushProvider {
  private readonly sendOrigin: Http2Origin;
  private readonly tokenOrigin: Http2Origin;
  private readonly accessToken: FcmAccessToken;
  private readonly sendPath: string;

  constructor(private readonly options: FcmClientOptions) {
    const { account, originOverride, tls } = options;
    this.sendOrigin = new Http2Origin(originOverride ?? PROVIDER_ORIGINS.fcmSend, tls);
    const tokenUri = new URL(account.token_uri);
    this.tokenOrigin = originOverride ? this.sendOrigin : new Http2Origin(tokenUri.origin, tls);
    this.accessToken = new FcmAccessToken(account, this.tokenOrigin, originOverride ? '/token' : tokenUri.pathname);
    this.sendPath = `/v1/projects/${encodeURIComponent(account.project_id)}/messages:send`;
  }

  async send(target: PushTarget, payload: PushPayload, { deadline, signal, maxAttempts, stillWanted }: SendOptions): Promise<PushOutcome> {
    const body = JSON.stringify({
      message: { token: target.token, data: toFcmData(payload), android: { priority: 'high', ttl: '0s' } },
    });
    const result = await retryWithinDeadline<PushOutcome>(
      async (timeoutMs) => {
        try {
          const accessToken = await this.accessToken.get(timeoutMs, signal);
          const response = await this.sendOrigin.request({
            method: 'POST',
            path: this.sendPath,
            headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json; charset=utf-8' },
            body,
            timeoutMs,
            signal,
          });
          return this.verdict(response);
        } catch (error) {
          if (error instanceof AccessTokenError) return tokenErrorVerdict(error);
          return verdictForError(error);
        }
      },
      { deadline, signal, maxAttempts, stillWanted, attemptTimeoutMs: this.options.requestTimeoutMs, baseDelayMs: this.options.retryBaseDelayMs },
    );
    return finalOutcome(result);
  }

  close(): void {
    this.sendOrigin.close();
    this.tokenOrigin.close();
  }

  private verdict(response: Http2Response): Verdict {
    const { status } = response;
    if (status === 200) return delivered();
    const parsed = FcmErrorBody.safeParse(parseJsonBody(response.body));
    const error = parsed.success ? parsed.data.error : undefined;
    const errorCode = error?.details?.find((detail) => detail.errorCode)?.errorCode ?? error?.status ?? `HTTP ${status}`;
    if (errorCode === 'UNREGISTERED') return deadToken(`FCM ${status} UNREGISTERED`);
    if (status === 401) {
      this.accessToken.invalidate();
      return retryLater(`FCM 401 ${errorCode}`, 0);
    }
    if (isRetryableStatus(status)) return retryVerdictFor(response, `FCM ${status} ${errorCode}`);
    return rejected(`FCM ${status} ${errorCode}`);
  }
}

function tokenErrorVerdict(error: AccessTokenError): Verdict {
  if (error.status === 0 || isRetryableStatus(error.status)) return retryLater(error.message, parseRetryAfter(error.retryAfter));
  return rejected(error.message);
}
