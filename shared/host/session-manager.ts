import { AuthResponse } from '../protocol';
import { BridgeError } from '../bridge';
import type { TokenProvider } from '../phone/ports';
import { callService } from './service-api';
import type { HttpPort, SessionStorePort, StoredSession } from './ports';

/** Refresh the access token when it has less than this left. */
const REFRESH_MARGIN_MS = 30_000;

/**
 * Owns the tokens: sign-in, registration, refresh (single flight), sign-out. Tokens stay in the
 * host; the bridge only ever sees the user and the server URL.
 */
export class SessionManager implements TokenProvider {
  private current: StoredSession | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly http: HttpPort,
    private readonly store: SessionStorePort,
    private readonly now: () => number,
    /** Told when the refresh token is refused: the user must sign in again. */
    private readonly onExpired: () => void,
  ) {}

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
    const auth = await callService(this.http, { method: 'POST', serverUrl, path: '/api/auth/login', body: { username, password } }, AuthResponse);
    return this.adopt(serverUrl, auth);
  }

  async register(serverUrl: string, input: { username: string; displayName: string; password: string }): Promise<StoredSession> {
    const auth = await callService(this.http, { method: 'POST', serverUrl, path: '/api/auth/register', body: input }, AuthResponse);
    return this.adopt(serverUrl, auth);
  }

  async logout(): Promise<void> {
    this.current = null;
    this.refreshing = null;
    await this.store.clear();
  }

  async getToken(): Promise<string> {
    const session = this.requireSession();
    if (Date.parse(session.accessTokenExpiresAt) - this.now() > REFRESH_MARGIN_MS) return session.accessToken;
    return this.refresh();
  }

  refresh(): Promise<string> {
    this.refreshing ??= this.doRefresh().finally(() => {
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
        { method: 'POST', serverUrl: session.serverUrl, path: '/api/auth/refresh', body: { refreshToken: session.refreshToken } },
        AuthResponse,
      );
      if (this.current !== session) throw new BridgeError('NOT_SIGNED_IN', 'Signed out while refreshing.');
      return (await this.adopt(session.serverUrl, auth)).accessToken;
    } catch (error) {
      if (error instanceof BridgeError && (error.code === 'UNAUTHORIZED' || error.code === 'TOKEN_EXPIRED')) {
        await this.logout();
        this.onExpired();
      }
      throw error;
    }
  }

  private async adopt(serverUrl: string, auth: AuthResponse): Promise<StoredSession> {
    const session: StoredSession = { serverUrl, ...auth };
    this.current = session;
    await this.store.save(session);
    return session;
  }

  private requireSession(): StoredSession {
    if (!this.current) throw new BridgeError('NOT_SIGNED_IN', 'Sign in first.');
    return this.current;
  }
}
