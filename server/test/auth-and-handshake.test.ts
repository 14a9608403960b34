import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthResponse, PROTOCOL_VERSION } from '../../shared/protocol';
import { api, HttpError, loginUser, registerUser, startServer, type TestServer } from '../../test/support/server';
import { connectError, deviceId, newUser, RawDevice } from './helpers/raw-device';

const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ env: { JWT_SECRET } });
});
afterAll(async () => {
  await server.stop();
});

async function httpError(promise: Promise<unknown>): Promise<{ status: number; code: string; body: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: (error.body as { error: { code: string } }).error.code, body: error.body };
    throw error;
  }
  throw new Error('the request succeeded');
}

function forgedToken(userId: string, typ: string, expiresAt: number, secret = JWT_SECRET) {
  return new SignJWT({ typ })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer('softphone')
    .setIssuedAt(expiresAt - 60)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

describe('accounts over HTTP', () => {
  it('registers, logs in, refreshes and answers /api/me', async () => {
    const registered = AuthResponse.parse(await registerUser(server.url, 'carol', 'correct horse battery', 'Carol C'));
    expect(registered.user).toMatchObject({ username: 'carol', displayName: 'Carol C' });
    expect(Date.parse(registered.accessTokenExpiresAt)).toBeLessThan(Date.parse(registered.refreshTokenExpiresAt));

    const login = await loginUser(server.url, 'carol', 'correct horse battery');
    expect(login.user).toEqual(registered.user);
    expect(await api(server.url, 'GET', '/api/me', undefined, login.accessToken)).toEqual({ user: registered.user, roles: [], lines: [] });

    const refreshed = AuthResponse.parse(await api(server.url, 'POST', '/api/auth/refresh', { refreshToken: login.refreshToken }));
    expect(refreshed.user).toEqual(registered.user);
    expect(refreshed.accessToken).not.toBe(login.accessToken);
    expect(await api(server.url, 'GET', '/api/me', undefined, refreshed.accessToken)).toEqual({ user: registered.user, roles: [], lines: [] });
  });

  it('refuses wrong passwords, unknown users, taken names and invalid bodies with typed errors', async () => {
    await registerUser(server.url, 'dave', 'dave-password');
    expect(await httpError(loginUser(server.url, 'dave', 'not-the-password'))).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(await httpError(loginUser(server.url, 'nobody', 'whatever-password'))).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    expect(await httpError(registerUser(server.url, 'dave', 'another-password'))).toMatchObject({ status: 409, code: 'USERNAME_TAKEN' });
    const invalid = await httpError(api(server.url, 'POST', '/api/auth/register', { username: 'X!', displayName: '', password: 'short' }));
    expect(invalid).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const paths = (invalid.body as { error: { issues: Array<{ path: string }> } }).error.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'displayName', 'password']));
    expect(await httpError(api(server.url, 'POST', '/api/auth/register', { username: 'eve', displayName: 'Eve', password: 'long-enough', admin: true }))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    const raw = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    // Nothing was created by the refused registrations.
    expect(await httpError(loginUser(server.url, 'eve', 'long-enough'))).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('every route with input refuses bad input with VALIDATION_FAILED, and changes nothing', async () => {
    const user = await newUser(server.url, 'bad');
    const before = await api(server.url, 'GET', '/api/directory?q=bad', undefined, user.accessToken);
    const refusals: Array<[string, string, unknown, string?]> = [
      ['POST', '/api/auth/login', { username: 'bad1', password: 'x', remember: true }],
      ['POST', '/api/auth/login', { username: 'bad1' }],
      ['POST', '/api/auth/login', ['bad1', 'password']],
      ['POST', '/api/auth/refresh', {}],
      ['POST', '/api/auth/refresh', { refreshToken: user.refreshToken, userId: user.user.userId }],
      ['POST', '/api/auth/register', { username: 'new-user-x', displayName: 'New', password: 12345678 }],
      ['GET', '/api/directory?limit=0', undefined, user.accessToken],
      ['GET', '/api/directory?limit=10000', undefined, user.accessToken],
      ['GET', '/api/directory?all=true', undefined, user.accessToken],
      ['GET', `/api/directory?q=${'x'.repeat(65)}`, undefined, user.accessToken],
    ];
    for (const [method, path, body, token] of refusals) {
      expect(await httpError(api(server.url, method, path, body, token)), `${method} ${path.slice(0, 40)} ${JSON.stringify(body)}`).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect(await httpError(loginUser(server.url, 'new-user-x', '12345678'))).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect(await api(server.url, 'GET', '/api/directory?q=bad', undefined, user.accessToken)).toEqual(before);
    // The refresh token still works after the refused refreshes.
    expect(AuthResponse.parse(await api(server.url, 'POST', '/api/auth/refresh', { refreshToken: user.refreshToken })).user).toEqual(user.user);
  });

  it('a JSON body over 64 KB is refused with 413 VALIDATION_FAILED and creates nothing', async () => {
    const body = { username: 'huge-body', displayName: 'x'.repeat(70 * 1024), password: 'long-enough-password' };
    expect(await httpError(api(server.url, 'POST', '/api/auth/register', body))).toMatchObject({ status: 413, code: 'VALIDATION_FAILED' });
    expect(await httpError(loginUser(server.url, 'huge-body', 'long-enough-password'))).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    // Just under the limit is parsed (and then refused by the schema: display names are short).
    const near = { ...body, displayName: 'x'.repeat(60 * 1024) };
    expect(await httpError(api(server.url, 'POST', '/api/auth/register', near))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('refuses bad, expired and wrong-type tokens', async () => {
    const user = await newUser(server.url, 'tok');
    expect(await httpError(api(server.url, 'GET', '/api/me'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await httpError(api(server.url, 'GET', '/api/me', undefined, 'garbage'))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const expired = await forgedToken(user.user.userId, 'access', Math.floor(Date.now() / 1000) - 10);
    expect(await httpError(api(server.url, 'GET', '/api/me', undefined, expired))).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(await httpError(api(server.url, 'GET', '/api/me', undefined, user.refreshToken))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(await httpError(api(server.url, 'POST', '/api/auth/refresh', { refreshToken: user.accessToken }))).toMatchObject({ code: 'UNAUTHORIZED' });
    const otherSecret = await forgedToken(user.user.userId, 'access', Math.floor(Date.now() / 1000) + 600, 'another-secret-another-secret-another-secret');
    expect(await httpError(api(server.url, 'GET', '/api/me', undefined, otherSecret))).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('socket handshake', () => {
  it('refuses another protocol major with PROTOCOL_MISMATCH, before looking at the token', async () => {
    const user = await newUser(server.url, 'hs');
    const refused = await connectError(server.url, { token: user.accessToken, deviceId: deviceId('hs1'), protocolVersion: '2.0.0' });
    expect(refused.data).toMatchObject({ code: 'PROTOCOL_MISMATCH' });
    const garbage = await connectError(server.url, { token: 'nonsense', deviceId: deviceId('hs1'), protocolVersion: '0.9.0' });
    expect(garbage.data).toMatchObject({ code: 'PROTOCOL_MISMATCH' });
    // A compatible minor is accepted.
    const device = await RawDevice.connect(server.url, user.accessToken, deviceId('hs2'), { extraAuth: { protocolVersion: '1.99.0' } });
    expect(device.all('session:ready')[0]).toMatchObject({ user: user.user, deviceId: deviceId('hs2') });
    device.close();
  });

  it('refuses missing, bad, expired and refresh tokens and malformed auth', async () => {
    const user = await newUser(server.url, 'hs');
    const base = { deviceId: deviceId('hs3'), protocolVersion: PROTOCOL_VERSION };
    expect((await connectError(server.url, { ...base, token: 'not-a-jwt' })).data).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await connectError(server.url, { ...base, token: user.refreshToken })).data).toMatchObject({ code: 'UNAUTHORIZED' });
    const expired = await forgedToken(user.user.userId, 'access', Math.floor(Date.now() / 1000) - 5);
    expect((await connectError(server.url, { ...base, token: expired })).data).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect((await connectError(server.url, { ...base })).data).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await connectError(server.url, { ...base, token: user.accessToken, deviceId: 'x' })).data).toMatchObject({ code: 'VALIDATION_FAILED' });
    const ghost = await forgedToken('00000000-0000-4000-8000-000000000000', 'access', Math.floor(Date.now() / 1000) + 600);
    expect((await connectError(server.url, { ...base, token: ghost })).data).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a second connection of the same device replaces the first', async () => {
    const user = await newUser(server.url, 'hs');
    const first = await RawDevice.connect(server.url, user.accessToken, deviceId('same'));
    const closed = new Promise<string>((resolve) => first.socket.once('disconnect', resolve));
    const second = await RawDevice.connect(server.url, user.accessToken, deviceId('same'));
    expect(await closed).toBe('io server disconnect');
    expect((await second.ok('session:ping', {})).serverTime).toMatch(/^\d{4}-/);
    second.close();
  });
});
