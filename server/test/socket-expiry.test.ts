import { describe, expect, it } from 'vitest';
import { AuthResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { deviceId, newUser, RawDevice } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

/**
 * Issue 10, item 4: a socket lives no longer than its access token. At expiry the server says
 * `session:closed` TOKEN_EXPIRED and disconnects; a device that handed over a fresh token of the same
 * session first (`session:renew`) keeps its connection.
 */

/** Short, but long enough for a loaded machine to do the steps below within one token's life. */
const TTL_S = 5;
const rig = useRawServer({ ACCESS_TOKEN_TTL: String(TTL_S) });
const refresh = (token: string | undefined) => api<AuthResponse>(rig.url, 'POST', '/api/auth/refresh', { refreshToken: token });

describe('socket expiry at the access token expiry', () => {
  it('closes the socket with TOKEN_EXPIRED when the token expires; 6 s after expiry it cannot place a call', async () => {
    const alice = await newUser(rig.url, 'exp');
    const bob = await newUser(rig.url, 'expb');
    const a = await rig.connect(alice, 'exp-a');
    expect(a.all('session:ready')[0]!.accessTokenExpiresAt).toBe(alice.accessTokenExpiresAt);
    const closed = await a.next('session:closed', () => true, (TTL_S + 3) * 1000);
    expect(closed).toEqual({ error: { code: 'TOKEN_EXPIRED', message: expect.any(String) } });
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(alice.accessTokenExpiresAt) - 50);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(alice.accessTokenExpiresAt) + 6_000 - Date.now())));
    expect(a.socket.connected).toBe(false);
    await expect(a.request('call:invite', { to: bob.user.username, media: 'audio' })).rejects.toThrow();
  });

  it('session:renew with a fresh token of the same session moves the deadline; the connection stays', async () => {
    const user = await newUser(rig.url, 'ren');
    const device = await rig.connect(user, 'ren-a');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const fresh = AuthResponse.parse(await refresh(user.refreshToken));
    expect(await device.ok('session:renew', { token: fresh.accessToken })).toEqual({ ok: true, accessTokenExpiresAt: fresh.accessTokenExpiresAt });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(user.accessTokenExpiresAt) + 500 - Date.now())));
    expect(device.socket.connected).toBe(true);
    expect(device.all('session:closed')).toEqual([]);
    expect(await device.ok('session:ping', {})).toMatchObject({ serverTime: expect.any(String) });
    // Not renewed again: closed at the new deadline.
    expect(await device.next('session:closed', () => true, (TTL_S + 3) * 1000)).toMatchObject({ error: { code: 'TOKEN_EXPIRED' } });
  });

  it('refuses a token of another session or user, a refresh token and garbage, and the deadline stays', async () => {
    const user = await newUser(rig.url, 'mix');
    const stranger = await newUser(rig.url, 'mixs');
    const other = AuthResponse.parse(await api(rig.url, 'POST', '/api/auth/login', { username: user.user.username, password: `password-${user.user.username}` }));
    const fresh = AuthResponse.parse(await refresh(user.refreshToken));
    const device = await RawDevice.connect(rig.url, fresh.accessToken, deviceId('mix-a'));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // A token of the user's other session, issued 1.5 s later: accepting it would move the deadline by 1.5 s.
    const otherSession = AuthResponse.parse(await refresh(other.refreshToken));
    for (const token of [otherSession.accessToken, stranger.accessToken, fresh.refreshToken ?? '', 'garbage']) {
      expect(await device.request('session:renew', { token })).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
    await device.next('session:closed', () => true, (TTL_S + 3) * 1000);
    expect(Date.now()).toBeLessThan(Date.parse(otherSession.accessTokenExpiresAt));
    device.close();
  });
});
