import { z } from 'zod';
import { AuthResponse, REFRESH_COOKIE } from '../protocol';
import { BridgeError } from '../bridge';
import type { TokenProvider } from '../phone/ports';
import { callService } from './service-api';
import type { HttpPort, SessionStorePort, StoredSession } from './ports';

/** Refresh the access token when it has less than this left. */
const REFRESH_MARGIN_MS = 30_000;

export interface SessionManagerOptions {
  /**
   * Where the refresh token lives: 'body' (the host stores it; the desktop encrypts it with safeStorage)
   * or 'cookie' (the web host: an HttpOnly cookie the page's scripts cannot read; see docs/security.md).
   */
  refreshToken?: 'body' | 'cookie';
  /** Runs a refresh exclusively across every copy of this host that shares the refresh token (the web host's tabs share the cookie). */
  exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
}

/**
 * Owns the tokens: sign-in, registration, refresh (single flight), sign-out. Tokens stay in the
 * host; the bridge only ever sees the user and the server URL. Refresh tokens rotate on every use
 * and a reused one revokes the session, so refreshes never overlap (single flight here, `exclusive`
 * across tabs).
 */
export class SessionManager implements TokenProvider {
  private current: StoredSession | null = null;
  private refreshing: Promise<string> | null = null;
  private readonly cookie: boolean;

  constructor(
    private readonly http: HttpPort,
    private readonly store: SessionStorePort,
    private readonly now: () => number,
    /** Told when the refresh token is refused: the user must sign in again. */
    private readonly onExpired: () => void,
    private readonly options: SessionManagerOptions = {},
  ) {
    this.cookie = options.refreshToken === 'cookie';
  }

  async load(): Promise<StoredSession | null> {
    const stored = await this.store.load();
    this.current = stored && Date.parse(stored.refreshTokenExpiresAt) > this.now() ? stored : null;
    if (stored && !this.current) await this.store.clear();
    return this.current;
  }

  get session(): StoredSession | null {
    return this.current;
  }

  async login(serverUrl: string, username: string, password: string): Promise<StoredSession> {
    const auth = await callService(this.http, { method: 'POST', serverUrl, path: '/api/auth/login', body: { username, password }, headers: this.tokenHeaders() }, AuthResponse);
    return this.adopt(serverUrl, auth);
  }

  async register(serverUrl: string, input: { username: string; displayName: string; password: string }): Promise<StoredSession> {
    const auth = await callService(this.http, { method: 'POST', serverUrl, path: '/api/auth/register', body: input, headers: this.tokenHeaders() }, AuthResponse);
    return this.adopt(serverUrl, auth);
  }

  /** Signs out on the server too (the session is revoked, its connections closed); forgets it here whatever the server says. */
  async logout(): Promise<void> {
    const session = this.current;
    await this.forget();
    if (!session) return;
    try {
      await callService(
        this.http,
        { method: 'POST', serverUrl: session.serverUrl, path: '/api/auth/logout', body: this.refreshBody(session), headers: this.tokenHeaders() },
        z.unknown(),
      );
    } catch {
      // Offline or already ended: the session is forgotten here, and its refresh token with it.
    }
  }

  async getToken(): Promise<string> {
    const session = this.requireSession();
    if (session.accessToken && Date.parse(session.accessTokenExpiresAt) - this.now() > REFRESH_MARGIN_MS) return session.accessToken;
    return this.refresh();
  }

  refresh(): Promise<string> {
    this.refreshing ??= (this.options.exclusive ? this.options.exclusive(() => this.doRefresh()) : this.doRefresh()).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Runs an authorized request; on TOKEN_EXPIRED/UNAUTHORIZED refreshes once and retries. */
  async authorized<T>(run: (token: string, serverUrl: string) => Promise<T>): Promise<T> {
    const serverUrl = this.requireSession().serverUrl;
    try {
      return await run(await this.getToken(), serverUrl);
    } catch (error) {
      if (!(error instanceof BridgeError) || (error.code !== 'TOKEN_EXPIRED' && error.code !== 'UNAUTHORIZED')) throw error;
      return run(await this.refresh(), serverUrl);
    }
  }

  private async doRefresh(): Promise<string> {
    const session = this.requireSession();
    try {
      const auth = await callService(
        this.http,
        { method: 'POST', serverUrl: session.serverUrl, path: '/api/auth/refresh', body: this.refreshBody(session), headers: this.tokenHeaders() },
        AuthResponse,
      );
      if (this.current !== session) throw new BridgeError('NOT_SIGNED_IN', 'Signed out while refreshing.');
      return (await this.adopt(session.serverUrl, auth)).accessToken;
    } catch (error) {
      if (error instanceof BridgeError && (error.code === 'UNAUTHORIZED' || error.code === 'TOKEN_EXPIRED')) {
        await this.forget();
        this.onExpired();
      }
      throw error;
    }
  }

  private tokenHeaders(): Record<string, string> {
    return this.cookie ? { [REFRESH_COOKIE.requestHeader]: 'cookie' } : {};
  }

  private refreshBody(session: StoredSession): { refreshToken?: string } {
    return this.cookie ? {} : { refreshToken: session.refreshToken };
  }

  private async forget(): Promise<void> {
    this.current = null;
    this.refreshing = null;
    await this.store.clear();
  }

  private async adopt(serverUrl: string, auth: AuthResponse): Promise<StoredSession> {
    const session: StoredSession = { serverUrl, ...auth, refreshToken: auth.refreshToken ?? '' };
    this.current = session;
    await this.store.save(session);
    return session;
  }

  private requireSession(): StoredSession {
    if (!this.current) throw new BridgeError('NOT_SIGNED_IN', 'Sign in first.');
    return this.current;
  }
}
