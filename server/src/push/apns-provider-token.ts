import { SignJWT, importPKCS8, type CryptoKey } from 'jose';

/** Apple rejects tokens older than 60 minutes and throttles ones refreshed more than every 20. */
export const APNS_TOKEN_REFRESH_MS = 40 * 60 * 1000;

export interface ApnsKey {
  /** Contents of the .p8 file (PKCS#8 PEM, P-256). */
  pem: string;
  keyId: string;
  teamId: string;
}

/**
 * The provider authentication token: an ES256 JWT with `kid` = key id and `iss` = team id,
 * signed once and reused until it is 40 minutes old (or APNs calls it expired).
 */
export class ApnsProviderToken {
  private key: Promise<CryptoKey> | null = null;
  private cached: { jwt: string; issuedAt: number } | null = null;

  constructor(
    private readonly apnsKey: ApnsKey,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    const now = this.now();
    if (this.cached && now - this.cached.issuedAt < APNS_TOKEN_REFRESH_MS) return this.cached.jwt;
    this.key ??= importPKCS8(this.apnsKey.pem, 'ES256');
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: this.apnsKey.keyId })
      .setIssuer(this.apnsKey.teamId)
      .setIssuedAt(Math.floor(now / 1000))
      .sign(await this.key);
    this.cached = { jwt, issuedAt: now };
    return jwt;
  }

  /** APNs answered ExpiredProviderToken: sign a fresh one next time. */
  invalidate(): void {
    this.cached = null;
  }
}
