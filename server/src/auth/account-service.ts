import { hash, verify } from '@node-rs/argon2';
import { createHash, randomUUID } from 'node:crypto';
import { ProtocolError, type AuthResponse, type UserIdentity } from '../../../shared/protocol';
import type { SessionRow, SessionStore } from '../db/sessions-repo';
import { identityOf, type UsersRepo } from '../db/users-repo';
import type { LoginThrottle } from '../limits/account-limits';
import type { SignedToken, TokenService } from './tokens';

/** Compared against when the username does not exist, so a wrong name costs as much time as a wrong password. */
let dummyHash: Promise<string> | undefined;

export type RevokeReason = 'logout' | 'refresh-token-reuse';
export type SessionRevokedListener = (userId: string, sessionId: string, reason: RevokeReason) => void;

export interface AccountLimits {
  login: LoginThrottle;
  /** Throws RATE_LIMITED when the address registered too many accounts. */
  register(address: string): Promise<void>;
}

/** Who an access token speaks for, once its session is known to be alive. */
export interface Authenticated {
  user: UserIdentity;
  sessionId: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

const hashTokenId = (tokenId: string) => createHash('sha256').update(tokenId).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Accounts and sign-in sessions. Passwords are hashed with argon2id (@node-rs/argon2 defaults).
 * Every login or registration starts a session; its refresh token rotates on each refresh, and the
 * session stores only a hash of the current token's id. Presenting any other (older) refresh token of
 * the session is a reuse: the whole session is revoked, its sockets are closed, and every token of it
 * stops working. Logout revokes the session the same way.
 */
export class AccountService {
  private readonly revokedListeners = new Set<SessionRevokedListener>();

  constructor(
    private readonly users: UsersRepo,
    private readonly sessions: SessionStore,
    private readonly tokens: TokenService,
    private readonly limits: AccountLimits,
    private readonly now: () => number = Date.now,
  ) {}

  onSessionRevoked(listener: SessionRevokedListener): void {
    this.revokedListeners.add(listener);
  }

  async register(input: { username: string; displayName: string; password: string }, address: string): Promise<AuthResponse> {
    await this.limits.register(address);
    if (await this.users.findByUsername(input.username)) throw new ProtocolError('USERNAME_TAKEN', `The username ${input.username} is taken`);
    const user: UserIdentity = { userId: randomUUID(), username: input.username, displayName: input.displayName };
    const inserted = await this.users.insert({ ...user, passwordHash: await hash(input.password) });
    if (!inserted) throw new ProtocolError('USERNAME_TAKEN', `The username ${input.username} is taken`);
    return this.startSession(user);
  }

  async login(input: { username: string; password: string }, address: string): Promise<AuthResponse> {
    await this.limits.login.check(input.username, address);
    const found = await this.users.findByUsername(input.username);
    // A service line's name is no account: it never signs in (same answer and the same work as an unknown name).
    const stored = found?.kind === 'line' ? undefined : found;
    dummyHash ??= hash('not-a-real-password');
    const valid = await verify(stored?.passwordHash ?? (await dummyHash), input.password);
    if (!stored || !valid) {
      await this.limits.login.failed(input.username, address);
      throw new ProtocolError('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    await this.limits.login.succeeded(input.username, address);
    return this.startSession(identityOf(stored));
  }

  /** Rotates both tokens of the session. A refresh token that is not the session's current one revokes the session. */
  async refresh(refreshToken: string): Promise<AuthResponse> {
    const claims = await this.tokens.verify(refreshToken, 'refresh');
    const session = await this.liveSession(claims.userId, claims.sessionId);
    const presented = hashTokenId(claims.tokenId);
    const user = await this.requireUser(claims.userId);
    const refresh = await this.tokens.sign('refresh', user.userId, session.id, this.now());
    if (presented !== session.refreshHash || !(await this.sessions.rotate(session.id, presented, hashTokenId(refresh.tokenId), iso(refresh.expiresAt), iso(this.now())))) {
      await this.revoke(session, 'refresh-token-reuse');
      throw new ProtocolError('UNAUTHORIZED', 'This refresh token was already used: the session is revoked; sign in again');
    }
    return this.response(user, session.id, refresh);
  }

  /** Ends the session the refresh token belongs to (any token of it, even an old one). An expired token has nothing left to end. */
  async logout(refreshToken: string): Promise<void> {
    let claims;
    try {
      claims = await this.tokens.verify(refreshToken, 'refresh');
    } catch (error) {
      if (error instanceof ProtocolError && error.code === 'TOKEN_EXPIRED') return;
      throw error;
    }
    const session = await this.sessions.find(claims.sessionId);
    if (session && session.userId === claims.userId && session.revokedAt === null) await this.revoke(session, 'logout');
  }

  /** The user and session behind an access token; UNAUTHORIZED when the session was revoked. */
  async authenticate(accessToken: string): Promise<Authenticated> {
    const claims = await this.tokens.verify(accessToken, 'access');
    await this.liveSession(claims.userId, claims.sessionId);
    return { user: await this.requireUser(claims.userId), sessionId: claims.sessionId, expiresAt: claims.expiresAt };
  }

  async requireUser(userId: string): Promise<UserIdentity> {
    const user = await this.users.findById(userId);
    if (!user) throw new ProtocolError('UNAUTHORIZED', 'The account no longer exists');
    return user;
  }

  private async startSession(user: UserIdentity): Promise<AuthResponse> {
    const sessionId = randomUUID();
    const now = this.now();
    const refresh = await this.tokens.sign('refresh', user.userId, sessionId, now);
    await this.sessions.create({ id: sessionId, userId: user.userId, refreshHash: hashTokenId(refresh.tokenId), createdAt: iso(now), expiresAt: iso(refresh.expiresAt) });
    return this.response(user, sessionId, refresh);
  }

  private async response(user: UserIdentity, sessionId: string, refresh: SignedToken): Promise<AuthResponse> {
    const access = await this.tokens.sign('access', user.userId, sessionId, this.now());
    return {
      user,
      accessToken: access.token,
      accessTokenExpiresAt: iso(access.expiresAt),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: iso(refresh.expiresAt),
    };
  }

  private async liveSession(userId: string, sessionId: string): Promise<SessionRow> {
    const session = await this.sessions.find(sessionId);
    if (!session || session.userId !== userId) throw new ProtocolError('UNAUTHORIZED', 'Unknown session: sign in again');
    if (session.revokedAt !== null) throw new ProtocolError('UNAUTHORIZED', 'The session was ended: sign in again');
    return session;
  }

  private async revoke(session: SessionRow, reason: RevokeReason): Promise<void> {
    if (!(await this.sessions.revoke(session.id, reason, iso(this.now())))) return;
    for (const listener of this.revokedListeners) listener(session.userId, session.id, reason);
  }
}
