import { describe, expect, it } from 'vitest';
import { REFRESH_COOKIE } from '../protocol';
import type { HttpRequest, HttpResponse, StoredSession } from './ports';
import { SessionManager } from './session-manager';

/**
 * Issue 10, item 2 (host side): sign-out ends the session on the server too; in cookie mode (the web
 * host) the refresh token never passes through the host: requests ask for the cookie and send no token;
 * refreshes never overlap (one in flight per host, and `exclusive` across tabs).
 */

const NOW = Date.parse('2025-01-01T10:00:00.000Z');
const AUTH = {
  user: { userId: '11111111-1111-4111-8111-111111111111', username: 'alice', displayName: 'Alice' },
  accessToken: 'access-1',
  accessTokenExpiresAt: '2025-01-01T10:15:00.000Z',
  refreshToken: 'refresh-1',
  refreshTokenExpiresAt: '2025-01-31T10:00:00.000Z',
};

function harness(answer: (request: HttpRequest) => HttpResponse | Promise<HttpResponse>, options: ConstructorParameters<typeof SessionManager>[4] = {}) {
  const requests: HttpRequest[] = [];
  let stored: StoredSession | null = null;
  let expired = 0;
  const manager = new SessionManager(
    async (request) => {
      requests.push(request);
      return answer(request);
    },
    { load: () => stored, save: (s) => void (stored = s), clear: () => void (stored = null) },
    () => NOW,
    () => void expired++,
    options,
  );
  return { manager, requests, stored: () => stored, expired: () => expired };
}

const ok = (body: unknown): HttpResponse => ({ status: 200, body });

describe('SessionManager', () => {
  it('sign-out revokes the session on the server, and forgets it even when the server cannot be reached', async () => {
    const h = harness((request) => (request.url.endsWith('/logout') ? { status: 204, body: null } : ok(AUTH)));
    await h.manager.login('http://phone.test', 'alice', 'password');
    await h.manager.logout();
    expect(h.requests.at(-1)).toMatchObject({ method: 'POST', url: 'http://phone.test/api/auth/logout', body: { refreshToken: 'refresh-1' } });
    expect(h.stored()).toBeNull();

    const offline = harness((request) => {
      if (request.url.endsWith('/logout')) throw new Error('unreachable');
      return ok(AUTH);
    });
    await offline.manager.login('http://phone.test', 'alice', 'password');
    await offline.manager.logout();
    expect(offline.stored()).toBeNull();
    expect(offline.manager.session).toBeNull();
  });

  it('cookie mode: asks for the cookie, never holds or sends a refresh token, and refreshes with the cookie', async () => {
    const { refreshToken: _inCookie, ...cookieAuth } = AUTH;
    const h = harness((request) => (request.url.endsWith('/logout') ? { status: 204, body: null } : ok({ ...cookieAuth, accessToken: `access-${Math.random()}` })), { refreshToken: 'cookie' });
    await h.manager.login('http://phone.test', 'alice', 'password');
    expect(h.requests[0]!.headers[REFRESH_COOKIE.requestHeader]).toBe('cookie');
    expect(h.stored()).toMatchObject({ refreshToken: '' });
    await h.manager.refresh();
    expect(h.requests[1]).toMatchObject({ url: 'http://phone.test/api/auth/refresh', body: {}, headers: { [REFRESH_COOKIE.requestHeader]: 'cookie' } });
    await h.manager.logout();
    expect(h.requests[2]).toMatchObject({ url: 'http://phone.test/api/auth/logout', body: {}, headers: { [REFRESH_COOKIE.requestHeader]: 'cookie' } });
  });

  it('a stored session without an access token (the web host after a reload) gets one from a refresh', async () => {
    const stored: StoredSession = { serverUrl: 'http://phone.test', ...AUTH, accessToken: '', accessTokenExpiresAt: new Date(0).toISOString(), refreshToken: '' };
    const urls: string[] = [];
    const http = async (request: HttpRequest) => (urls.push(request.url), ok({ ...AUTH, accessToken: 'fresh-access' }));
    const manager = new SessionManager(http, { load: () => stored, save: () => undefined, clear: () => undefined }, () => NOW, () => undefined, { refreshToken: 'cookie' });
    await manager.load();
    expect(await manager.getToken()).toBe('fresh-access');
    expect(urls).toEqual(['http://phone.test/api/auth/refresh']);
  });

  it('refreshes never overlap: one request for concurrent callers, run inside `exclusive`', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: string[] = [];
    const h = harness(
      async (request) => {
        if (request.url.endsWith('/refresh')) await gate;
        return ok({ ...AUTH, accessToken: 'access-2', refreshToken: 'refresh-2' });
      },
      { exclusive: async (run) => (held.push('lock'), run()) },
    );
    await h.manager.login('http://phone.test', 'alice', 'password');
    const both = Promise.all([h.manager.refresh(), h.manager.refresh()]);
    release();
    expect(await both).toEqual(['access-2', 'access-2']);
    expect(h.requests.filter((r) => r.url.endsWith('/refresh'))).toHaveLength(1);
    expect(held).toEqual(['lock']);
  });

  it('a refused refresh (a revoked session) forgets the session and says so, without calling logout', async () => {
    const h = harness((request) => (request.url.endsWith('/refresh') ? { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'The session was ended' } } } : ok(AUTH)));
    await h.manager.login('http://phone.test', 'alice', 'password');
    await expect(h.manager.refresh()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(h.stored()).toBeNull();
    expect(h.expired()).toBe(1);
    expect(h.requests.some((r) => r.url.endsWith('/logout'))).toBe(false);
  });
});
