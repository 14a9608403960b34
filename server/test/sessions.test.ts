import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthResponse, PROTOCOL_VERSION, REFRESH_COOKIE } from '../../shared/protocol';
import { api, outcomeOf, startServer, type TestServer } from '../../test/support/server';
import { queryStore } from '../../test/support/test-store';
import { connectError, deviceId, newUser, RawDevice } from './helpers/raw-device';

/**
 * Issue 10, item 2: sign-in sessions. Refresh tokens rotate; presenting a used one revokes the whole
 * session (every token of it, and its sockets); logout does the same on purpose. The web host's
 * refresh token travels only as an HttpOnly cookie.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

const status = outcomeOf;

const refresh = (refreshToken: string | undefined) => api<AuthResponse>(server.url, 'POST', '/api/auth/refresh', { refreshToken });
const me = (accessToken: string) => api(server.url, 'GET', '/api/me', undefined, accessToken);

describe('refresh-token rotation and reuse detection', () => {
  it('a refresh token works once; its replay revokes the whole chain: the rotated token, the access tokens and the sockets', async () => {
    const user = await newUser(server.url, 'rot');
    const device = await RawDevice.connect(server.url, user.accessToken, deviceId('rot'));
    const first = AuthResponse.parse(await refresh(user.refreshToken));
    expect(first.refreshToken).not.toBe(user.refreshToken);
    expect(await me(first.accessToken)).toEqual({ user: user.user, roles: [], lines: [] });

    // The stolen copy of the first token is replayed:
    expect(await status(refresh(user.refreshToken))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    // ... and now nothing of that session works any more, the legitimate rotated token included.
    expect(await status(refresh(first.refreshToken))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await status(me(first.accessToken))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await status(me(user.accessToken))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await device.next('session:closed')).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('revoked') } });
    await new Promise<void>((resolve) => (device.socket.connected ? device.socket.once('disconnect', () => resolve()) : resolve()));
    expect((await connectError(server.url, { token: first.accessToken, deviceId: deviceId('rot'), protocolVersion: PROTOCOL_VERSION })).data).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('another session of the same user is not touched by a revocation', async () => {
    const user = await newUser(server.url, 'two');
    const other = AuthResponse.parse(await api(server.url, 'POST', '/api/auth/login', { username: user.user.username, password: `password-${user.user.username}` }));
    const otherDevice = await RawDevice.connect(server.url, other.accessToken, deviceId('two-other'));
    await refresh(user.refreshToken);
    await status(refresh(user.refreshToken)); // reuse: revokes the first session only
    expect(await me(other.accessToken)).toEqual({ user: user.user, roles: [], lines: [] });
    expect(AuthResponse.parse(await refresh(other.refreshToken)).user).toEqual(user.user);
    await otherDevice.settle();
    expect(otherDevice.all('session:closed')).toEqual([]);
    otherDevice.close();
  });
});

describe('the stored session', () => {
  it('keeps only a SHA-256 of the current refresh token id: a copy of the store holds no token to replay', async () => {
    const user = await newUser(server.url, 'hash');
    const stored = async (token: string | undefined) => {
      const { sid, jti } = decodeJwt(token ?? '') as { sid: string; jti: string };
      const rows = await queryStore<{ id: string; refresh_hash: string }>(server, 'SELECT * FROM sessions');
      const row = rows.find((r) => r.id === sid);
      const text = JSON.stringify(rows);
      return { hashed: row?.refresh_hash === createHash('sha256').update(jti).digest('hex'), clear: text.includes(jti) || text.includes(token ?? '-') };
    };
    expect(await stored(user.refreshToken)).toEqual({ hashed: true, clear: false });
    const rotated = AuthResponse.parse(await refresh(user.refreshToken));
    expect(await stored(rotated.refreshToken)).toEqual({ hashed: true, clear: false });
  });
});

describe('logout', () => {
  it('POST /api/auth/logout ends the session: its sockets are closed, its tokens refused; logging out twice is fine', async () => {
    const user = await newUser(server.url, 'bye');
    const desk = await RawDevice.connect(server.url, user.accessToken, deviceId('bye-desk'));
    const response = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: user.refreshToken }) });
    expect(response.status).toBe(204);
    expect(await desk.next('session:closed')).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Signed out' } });
    expect(await status(refresh(user.refreshToken))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    expect(await status(me(user.accessToken))).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    const again = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: user.refreshToken }) });
    expect(again.status).toBe(204);
    expect(await status(api(server.url, 'POST', '/api/auth/logout', {}))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });
});

describe('the refresh cookie (web host)', () => {
  const asWeb = { 'content-type': 'application/json', [REFRESH_COOKIE.requestHeader]: 'cookie' };

  it('is HttpOnly, SameSite=Strict, scoped to /api/auth and never in the body; it refreshes and logs out only with the header', async () => {
    const name = `cookie-${process.pid}`;
    const registered = await fetch(`${server.url}/api/auth/register`, { method: 'POST', headers: asWeb, body: JSON.stringify({ username: name, displayName: 'Cookie', password: 'cookie-password' }) });
    expect(registered.status).toBe(201);
    expect(registered.headers.get('cache-control')).toBe('no-store');
    const body = (await registered.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('refreshToken');
    expect(body).toMatchObject({ accessToken: expect.any(String), refreshTokenExpiresAt: expect.any(String) });
    const setCookie = registered.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${REFRESH_COOKIE.name}=[^;]+;`));
    expect(setCookie).toContain('Path=/api/auth');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain('Secure'); // plain http here; Secure over https
    const cookie = setCookie.split(';')[0]!;

    // Without the header the cookie is ignored (a cross-site form cannot add a header).
    const ignored = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: '{}' });
    expect(ignored.status).toBe(400);
    const refreshed = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { ...asWeb, cookie }, body: '{}' });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).not.toHaveProperty('refreshToken');
    const rotated = (refreshed.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(rotated).not.toBe(cookie);
    // The old cookie is a used token now: presenting it revokes the session.
    expect((await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { ...asWeb, cookie }, body: '{}' })).status).toBe(401);
    expect((await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { ...asWeb, cookie: rotated }, body: '{}' })).status).toBe(401);

    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: asWeb, body: JSON.stringify({ username: name, password: 'cookie-password' }) });
    const fresh = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { ...asWeb, cookie: fresh }, body: '{}' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${REFRESH_COOKIE.name}=;.*Expires=Thu, 01 Jan 1970`));
    expect((await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { ...asWeb, cookie: fresh }, body: '{}' })).status).toBe(401);
  });
});
