import { errors, jwtVerify, SignJWT } from 'jose';
import { ProtocolError, type AuthResponse, type UserIdentity } from '../../../shared/protocol';

type TokenType = 'access' | 'refresh';

export interface TokenSettings {
  secret: Uint8Array;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

const ISSUER = 'softphone';

/** Issues and verifies the HS256 access and refresh tokens (sub = userId, typ = access|refresh). */
export class TokenService {
  constructor(private readonly settings: TokenSettings) {}

  async issue(user: UserIdentity): Promise<AuthResponse> {
    const now = Math.floor(Date.now() / 1000);
    const accessExp = now + this.settings.accessTtlSeconds;
    const refreshExp = now + this.settings.refreshTtlSeconds;
    return {
      user,
      accessToken: await this.sign(user.userId, 'access', now, accessExp),
      accessTokenExpiresAt: new Date(accessExp * 1000).toISOString(),
      refreshToken: await this.sign(user.userId, 'refresh', now, refreshExp),
      refreshTokenExpiresAt: new Date(refreshExp * 1000).toISOString(),
    };
  }

  /** Returns the userId, or throws UNAUTHORIZED / TOKEN_EXPIRED. */
  async verify(token: string, type: TokenType): Promise<string> {
    try {
      const { payload } = await jwtVerify(token, this.settings.secret, { algorithms: ['HS256'], issuer: ISSUER });
      if (payload['typ'] !== type || typeof payload.sub !== 'string') throw new ProtocolError('UNAUTHORIZED', `Not a ${type} token`);
      return payload.sub;
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      if (error instanceof errors.JWTExpired) throw new ProtocolError('TOKEN_EXPIRED', `The ${type} token has expired`);
      throw new ProtocolError('UNAUTHORIZED', `Invalid ${type} token`);
    }
  }

  private sign(userId: string, type: TokenType, issuedAt: number, expiresAt: number): Promise<string> {
    return new SignJWT({ typ: type })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(crypto.randomUUID())
      .sign(this.settings.secret);
  }
}
