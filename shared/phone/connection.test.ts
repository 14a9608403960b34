import { describe, expect, it } from 'vitest';
import { BOB, CALL_ID } from '../testing/fixtures';
import { flush, phoneHarness, sessionReady } from '../testing/phone-harness';
import type { ConnectionState } from './api';

function statuses(h: ReturnType<typeof phoneHarness>) {
  const seen: ConnectionState[] = [];
  h.core.on('connection', (s) => void seen.push(s));
  return seen;
}

describe('PhoneCore: connection status and reconnects', () => {
  it('reports reconnecting on a network drop (socket.io retries) and online again after session:ready', () => {
    const h = phoneHarness();
    h.online();
    const seen = statuses(h);
    h.transport.drop('transport close', true);
    expect(h.core.snapshot().connection).toMatchObject({ status: 'reconnecting', code: 'transport' });
    h.transport.refuse(null, true, 'websocket error');
    expect(h.core.snapshot().connection).toMatchObject({ status: 'reconnecting', reason: 'server unreachable (websocket error)' });
    expect(h.clock.pending()).toEqual([]); // socket.io's own backoff, not ours
    h.transport.acceptConnection();
    h.transport.push('session:ready', sessionReady());
    expect(seen.map((s) => s.status)).toEqual(['reconnecting', 'reconnecting', 'online']);
  });

  it('reconnects itself with backoff after a server-side disconnect', () => {
    const h = phoneHarness();
    h.online();
    h.transport.drop('io server disconnect', false);
    expect(h.core.snapshot().connection).toMatchObject({ status: 'reconnecting', code: 'SERVER_DISCONNECT' });
    expect(h.clock.pending()).toEqual([1_000]); // random() = 0.5: no jitter deviation
    h.clock.advance(999);
    expect(h.transport.calls.reconnectNow).toBe(0);
    h.clock.advance(1);
    expect(h.transport.calls.reconnectNow).toBe(1);
    h.transport.drop('io server disconnect', false);
    expect(h.clock.pending()).toEqual([2_000]);
  });

  it('refreshes the token once on TOKEN_EXPIRED and reconnects with the new one', async () => {
    const h = phoneHarness();
    h.core.start();
    h.transport.refuse({ code: 'TOKEN_EXPIRED', message: 'jwt expired' });
    expect(h.core.snapshot().connection).toMatchObject({ status: 'connecting', code: 'TOKEN_EXPIRED' });
    await flush();
    expect(h.auth.refreshes).toBe(1);
    expect(h.transport.calls.reconnectNow).toBe(1);
    expect((await h.transport.handshake()).token).toBe('token-2');
    h.transport.refuse({ code: 'TOKEN_EXPIRED', message: 'still expired' });
    await flush();
    expect(h.auth.refreshes).toBe(1);
    expect(h.core.snapshot().connection).toMatchObject({ status: 'offline', code: 'TOKEN_EXPIRED' });
    expect(h.transport.calls.disconnect).toBe(1);
  });

  it('goes offline when the token cannot be refreshed', async () => {
    const h = phoneHarness();
    h.auth.failRefresh = true;
    h.core.start();
    h.transport.refuse({ code: 'UNAUTHORIZED', message: 'bad token' });
    await flush();
    expect(h.core.snapshot().connection).toMatchObject({ status: 'offline', code: 'UNAUTHORIZED' });
    expect(h.core.snapshot().connection.reason).toContain('refresh token revoked');
  });

  it('goes offline with a clear reason on PROTOCOL_MISMATCH and does not retry', async () => {
    const h = phoneHarness();
    h.core.start();
    h.transport.refuse({ code: 'PROTOCOL_MISMATCH', message: 'server speaks 2.x' });
    await flush();
    const connection = h.core.snapshot().connection;
    expect(connection).toMatchObject({ status: 'offline', code: 'PROTOCOL_MISMATCH' });
    expect(connection.reason).toMatch(/protocol version .* update the app/);
    expect(h.transport.calls.disconnect).toBe(1);
    expect(h.clock.pending()).toEqual([]);
    expect(h.transport.calls.reconnectNow).toBe(0);
  });

  it('waits the server-given delay after session:shutdown', () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('session:shutdown', { reconnectAfterMs: 2_500 });
    expect(h.transport.calls.disconnect).toBe(1);
    expect(h.core.snapshot().connection).toMatchObject({ status: 'reconnecting', code: 'SHUTDOWN' });
    h.clock.advance(2_499);
    expect(h.transport.calls.reconnectNow).toBe(0);
    h.clock.advance(1);
    expect(h.transport.calls.reconnectNow).toBe(1);
  });
});

describe('PhoneCore: checkConnection', () => {
  it('pings when online and stays put when the server answers', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('session:ping', () => ({ ok: true, serverTime: '2025-01-01T10:00:00.000Z' }));
    expect(await h.core.checkConnection()).toMatchObject({ status: 'online' });
    expect(h.transport.sent('session:ping')).toHaveLength(1);
    expect(h.transport.calls.reconnectNow).toBe(0);
  });

  it('reconnects at once when the ping gets no answer', async () => {
    const h = phoneHarness();
    h.online();
    const check = h.core.checkConnection();
    await flush();
    h.clock.advance(1_000); // ping timeout
    await flush();
    expect(h.transport.calls.reconnectNow).toBe(1);
    expect(h.core.snapshot().connection.status).toBe('reconnecting');
    h.transport.acceptConnection();
    h.transport.push('session:ready', sessionReady());
    expect(await check).toMatchObject({ status: 'online' });
  });

  it('reconnects at once when disconnected, and reports the state if it does not come back in time', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.drop('transport close', true);
    const check = h.core.checkConnection();
    expect(h.transport.calls.reconnectNow).toBe(1);
    h.clock.advance(4_000);
    expect(await check).toMatchObject({ status: 'reconnecting' });
  });

  it('stop() hangs up the active call and goes offline', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => ({ ok: true, callId: CALL_ID, status: 'ringing', devices: 1, callee: BOB, ringUntil: '2025-01-01T10:01:00.000Z' }));
    await h.core.call('bob', 'audio');
    h.transport.push('call:accepted', { callId: CALL_ID, by: BOB, deviceId: 'device-bob-1' });
    await h.core.stop();
    expect(h.transport.sent('call:hangup')).toEqual([{ callId: CALL_ID, reason: 'hangup' }]);
    expect(h.core.snapshot().connection).toMatchObject({ status: 'offline', reason: 'stopped' });
  });
});

describe('PhoneCore: stop and start again', () => {
  it('comes back online after stop() and start()', async () => {
    const h = phoneHarness();
    h.online();
    await h.core.stop();
    expect(h.core.snapshot().connection.status).toBe('offline');
    h.core.start();
    expect(h.transport.calls.connect).toBe(2);
    h.transport.acceptConnection();
    h.transport.push('session:ready', sessionReady());
    expect(h.core.snapshot().connection.status).toBe('online');
  });
});
