import { AuthResponse, ErrorBody, HistoryResponse } from '../../protocol';
import type { HistoryEntry } from '../../protocol';
import { PhoneError } from '../errors';
import type { TokenProvider } from '../ports';

/** HTTP account calls (login, register, refresh, history) with fetch, and a TokenProvider on top. Node 20 / browsers. */

async function call(server: string, method: string, path: string, body?: unknown, token?: string): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(new URL(path, server), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = ErrorBody.safeParse((json as { error?: unknown } | undefined)?.error);
    throw error.success ? PhoneError.from(error.data) : new PhoneError('INTERNAL', `HTTP ${response.status} from ${path}`);
  }
  return json;
}

export async function login(server: string, username: string, password: string): Promise<AuthResponse> {
  return AuthResponse.parse(await call(server, 'POST', '/api/auth/login', { username, password }));
}

export async function register(server: string, username: string, password: string, displayName: string): Promise<AuthResponse> {
  return AuthResponse.parse(await call(server, 'POST', '/api/auth/register', { username, password, displayName }));
}

/** Registers, or logs in when the name is taken (so a bot can be started again with --register). */
export async function registerOrLogin(server: string, username: string, password: string, displayName: string): Promise<AuthResponse> {
  try {
    return await register(server, username, password, displayName);
  } catch (error) {
    if (error instanceof PhoneError && error.code === 'USERNAME_TAKEN') return login(server, username, password);
    throw error;
  }
}

export async function fetchHistory(server: string, token: string, query: Record<string, string> = {}): Promise<{ calls: HistoryEntry[]; nextCursor: string | null }> {
  const search = new URLSearchParams(query).toString();
  return HistoryResponse.parse(await call(server, 'GET', `/api/history${search ? `?${search}` : ''}`, undefined, token));
}

/** Hands PhoneCore the access token; refreshes it shortly before it expires and when the server says so. */
export class HttpTokenProvider implements TokenProvider {
  private refreshing: Promise<string> | null = null;

  constructor(
    private readonly server: string,
    private session: AuthResponse,
    private readonly now: () => number = Date.now,
    private readonly earlyMs = 30_000,
  ) {}

  get current(): AuthResponse {
    return this.session;
  }

  async getToken(): Promise<string> {
    if (Date.parse(this.session.accessTokenExpiresAt) - this.now() < this.earlyMs) return this.refresh();
    return this.session.accessToken;
  }

  refresh(): Promise<string> {
    this.refreshing ??= call(this.server, 'POST', '/api/auth/refresh', { refreshToken: this.session.refreshToken })
      .then((body) => {
        this.session = AuthResponse.parse(body);
        return this.session.accessToken;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  }
}
