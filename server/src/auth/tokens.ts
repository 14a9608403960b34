import { errors, jwtVerify, SignJWT } from 'jose';
import { ProtocolError } from '../../../shared/protocol';

type TokenType = 'access' | 'refresh';

export interface TokenSettings {
  secret: Uint8Array;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

/** What a verified token says. */
export interface TokenClaims {
  userId: string;
  sessionId: string;
  /** The token's own id (jti): a refresh token's is what the session stores, hashed. */
  tokenId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface SignedToken {
  token: string;
  tokenId: string;
  expiresAt: number;
}

const ISSUER = 'softphone';

/**
 * Signs and verifies the HS256 tokens: sub = userId, sid = the sign-in session, typ = access|refresh,
 * jti = a random id. Whether the session is still valid is the account service's business.
 */
export class TokenService {
  constructor(private readonly settings: TokenSettings) {}

  get refreshTtlSeconds(): number {
    return this.settings.refreshTtlSeconds;
  }

  sign(type: TokenType, userId: string, sessionId: string, nowMs = Date.now()): Promise<SignedToken> {
    const issuedAt = Math.floor(nowMs / 1000);
    const expiresAt = issuedAt + (type === 'access' ? this.settings.accessTtlSeconds : this.settings.refreshTtlSeconds);
    const tokenId = crypto.randomUUID();
    return new SignJWT({ typ: type, sid: sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(tokenId)
      .sign(this.settings.secret)
      .then((token) => ({ token, tokenId, expiresAt: expiresAt * 1000 }));
  }

  /** Returns the claims, or throws UNAUTHORIZED / TOKEN_EXPIRED. Tokens without a session (issued before sessions existed) are refused. */
  async verify(token: string, type: TokenType): Promise<TokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.settings.secret, { algorithms: ['HS256'], issuer: ISSUER });
      const { sub, jti, exp } = payload;
      const sid = payload['sid'];
      if (payload['typ'] !== type || typeof sub !== 'string') throw new ProtocolError('UNAUTHORIZED', `Not a ${type} token`);
      if (typeof sid !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') throw new ProtocolError('UNAUTHORIZED', 'The token has no session: sign in again');
      return { userId: sub, sessionId: sid, tokenId: jti, expiresAt: exp * 1000 };
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      if (error instanceof errors.JWTExpired) throw new ProtocolError('TOKEN_EXPIRED', `The ${type} token has expired`);
      throw new ProtocolError('UNAUTHORIZED', `Invalid ${type} token`);
    }
  }
}
