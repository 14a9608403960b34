import { describe, expect, it } from 'vitest';
import { flush, phoneHarness } from '../testing/phone-harness';

/**
 * Issue 10, items 4 and 2 (client side): PhoneCore renews the connection's access token in place before
 * it expires (session:renew, no reconnect); when the server closes the session (session:closed) it acts
 * on the reason: TOKEN_EXPIRED refreshes and reconnects, a revoked session (UNAUTHORIZED) whose refresh
 * fails goes offline asking to sign in, TOO_MANY_DEVICES retries later.
 */

const START = Date.parse('2025-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(START + ms).toISOString();

describe('token renewal in place', () => {
  it('at three quarters of the token life: refresh, then session:renew with the new token; again for the next one', async () => {
    const h = phoneHarness();
    h.transport.respond('session:renew', () => ({ ok: true, accessTokenExpiresAt: at(900_000 + 675_000) }));
    h.online({ accessTokenExpiresAt: at(900_000) });
    h.clock.advance(674_999);
    expect(h.transport.sent('session:renew')).toEqual([]);
    h.clock.advance(1);
    await flush();
    expect(h.auth.refreshes).toBe(1);
    expect(h.transport.sent('session:renew')).toEqual([{ token: 'token-2' }]);
    expect(h.transport.calls.reconnectNow).toBe(0);
    // Next renewal: three quarters of what is left of the new token.
    h.clock.advance(Math.floor(900_000 * 0.75) - 1);
    await flush();
    expect(h.transport.sent('session:renew')).toHaveLength(1);
    h.clock.advance(1);
    await flush();
    expect(h.transport.sent('session:renew')).toEqual([{ token: 'token-2' }, { token: 'token-3' }]);
    expect(h.core.snapshot().connection.status).toBe('online');
  });

  it('uses the server clock: a server 60 s ahead means the token expires 60 s earlier here', async () => {
    const h = phoneHarness();
    h.transport.hold('session:renew');
    h.online({ serverTime: at(60_000), accessTokenExpiresAt: at(60_000 + 400_000) });
    h.clock.advance(299_999);
    await flush();
    expect(h.transport.sent('session:renew')).toEqual([]);
    h.clock.advance(1);
    await flush();
    expect(h.transport.sent('session:renew')).toHaveLength(1);
  });

  it('no renewal while disconnected: the next handshake carries a fresh token anyway', async () => {
    const h = phoneHarness();
    h.online({ accessTokenExpiresAt: at(100_000) });
    h.transport.drop('transport close', true);
    h.clock.advance(200_000);
    await flush();
    expect(h.transport.sent('session:renew')).toEqual([]);
    expect(h.auth.refreshes).toBe(0);
  });
});

describe('session:closed', () => {
  it('TOKEN_EXPIRED: refresh once and reconnect at once', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('session:closed', { error: { code: 'TOKEN_EXPIRED', message: 'expired' } });
    h.transport.drop('io server disconnect', false);
    expect(h.core.snapshot().connection).toMatchObject({ status: 'reconnecting', code: 'TOKEN_EXPIRED' });
    await flush();
    expect(h.auth.refreshes).toBe(1);
    expect(h.transport.calls.reconnectNow).toBe(1);
    expect((await h.transport.handshake()).token).toBe('token-2');
  });

  it('UNAUTHORIZED (a revoked session) whose refresh is refused: offline, sign-in required, no retries', async () => {
    const h = phoneHarness();
    h.online();
    h.auth.failRefresh = true;
    h.transport.push('session:closed', { error: { code: 'UNAUTHORIZED', message: 'Signed out' } });
    h.transport.drop('io server disconnect', false);
    await flush();
    expect(h.core.snapshot().connection).toMatchObject({ status: 'offline', code: 'UNAUTHORIZED', reason: expect.stringContaining('sign-in required') });
    h.clock.advance(600_000);
    expect(h.transport.calls.reconnectNow).toBe(0);
  });

  it('TOO_MANY_DEVICES: retries later with backoff, saying why', () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('session:closed', { error: { code: 'TOO_MANY_DEVICES', message: 'At most 20 devices' } });
    h.transport.drop('io server disconnect', false);
    expect(h.core.snapshot().connection).toMatchObject({ status: 'reconnecting', code: 'TOO_MANY_DEVICES', reason: expect.stringContaining('At most 20 devices') });
    expect(h.clock.pending()).toEqual([1_000]);
  });
});
