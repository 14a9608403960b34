import { SignJWT, importPKCS8, type CryptoKey } from 'jose';
import { z } from 'zod';
import type { Http2Origin } from './http2-origin';
import { parseJsonBody } from './provider-answer';

export const FCM_SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
/** Refresh this long before Google's expiry so an in-flight send never carries a stale token. */
const EXPIRY_MARGIN_MS = 60_000;

/** The fields of a Google service-account JSON key that the JWT flow needs. */
export const ServiceAccount = z.object({
  type: z.literal('service_account'),
  project_id: z.string().min(1),
  private_key_id: z.string().min(1),
  private_key: z.string().includes('PRIVATE KEY'),
  client_email: z.string().email(),
  token_uri: z.string().url(),
});
export type ServiceAccount = z.infer<typeof ServiceAccount>;

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string() });

/** The token endpoint refused or failed; `status` 0 means no HTTP answer. */
export class AccessTokenError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfter: string | undefined,
  ) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

/**
 * OAuth2 access tokens for FCM HTTP v1 by the service-account JWT flow (RFC 7523): an RS256 JWT
 * (iss = client_email, aud = token_uri, scope = firebase.messaging) exchanged at the token URI.
 * Cached until shortly before it expires; concurrent callers share one exchange.
 */
export class FcmAccessToken {
  private key: Promise<CryptoKey> | null = null;
  private cached: { token: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly account: ServiceAccount,
    /** Where the token request goes: the account's token_uri origin, or a stand-in. */
    private readonly tokenOrigin: Http2Origin,
    private readonly tokenPath: string,
    private readonly now: () => number = Date.now,
  ) {}

  get(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    if (this.cached && this.now() < this.cached.expiresAt - EXPIRY_MARGIN_MS) return Promise.resolve(this.cached.token);
    this.pending ??= this.exchange(timeoutMs, signal).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** FCM answered 401: the token is no good any more. */
  invalidate(): void {
    this.cached = null;
  }

  private async exchange(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    this.key ??= importPKCS8(this.account.private_key, 'RS256');
    const issuedAt = Math.floor(this.now() / 1000);
    const assertion = await new SignJWT({ scope: FCM_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.account.private_key_id })
      .setIssuer(this.account.client_email)
      .setAudience(this.account.token_uri)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 3600)
      .sign(await this.key);
    const response = await this.tokenOrigin.request({
      method: 'POST',
      path: this.tokenPath,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
      timeoutMs,
      signal,
    });
    const retryAfter = response.headers['retry-after'];
    if (response.status !== 200) {
      throw new AccessTokenError(`OAuth token endpoint answered ${response.status}`, response.status, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    }
    const parsed = TokenResponse.safeParse(parseJsonBody(response.body));
    if (!parsed.success) throw new AccessTokenError('OAuth token endpoint answered an unreadable token', response.status, undefined);
    this.cached = { token: parsed.data.access_token, expiresAt: this.now() + parsed.data.expires_in * 1000 };
    return parsed.data.access_token;
  }
}
