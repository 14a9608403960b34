import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api, registerUser, removeDataDir, startServer, type TestServer } from '../support/server';
import { callPage, startCallPageSite, type CallPageSite } from './support/call-page';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

/**
 * Fault injection in Chromium: mid-call, the server's socket to one client is cut for 20 s (a TCP proxy
 * in front of that client's signalling destroys the connection and refuses reconnects). The media keeps
 * flowing peer to peer, signalling resumes within the server's resume grace, and the call ends cleanly.
 */

/** With PhoneCore's default backoff (DEFAULT_BACKOFF: 5 s cap), the client is back well inside the server's 30 s resume grace. */
const CUT_MS = 20_000;
let server: TestServer | undefined;
let proxy: TcpProxy | undefined;
let site: CallPageSite | undefined;

afterEach(async () => {
  await site?.close();
  await proxy?.close();
  if (server) {
    await server.stop();
    removeDataDir(server);
  }
  server = proxy = site = undefined;
});

async function waitFor<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('signalling drop mid-call (Chromium)', () => {
  it('media keeps flowing through a 20 s signalling cut, signalling resumes, and the call ends cleanly', async () => {
    site = await startCallPageSite();
    server = await startServer({ env: { CORS_ORIGINS: site.url } });
    proxy = await startTcpProxy(server.port);
    const [alice, bob] = await Promise.all([registerUser(server.url, 'drop-alice'), registerUser(server.url, 'drop-bob')]);
    const [a, b] = await Promise.all([site.open(), site.open()]);
    // Alice's signalling goes through the proxy; Bob's goes straight to the server.
    await Promise.all([callPage(a, 'oursJoin', proxy.url, alice.accessToken, 'drop-alice-device'), callPage(b, 'oursJoin', server.url, bob.accessToken, 'drop-bob-device')]);

    const callId = await callPage(a, 'oursDial', bob.user.username);
    expect(await callPage(b, 'nextIncoming', 15_000)).toBe(callId);
    await callPage(b, 'oursAccept', callId);
    await waitFor('both peers connected', async () => [await callPage(a, 'result', callId), await callPage(b, 'result', callId)], (r) => r.every((x) => x.connectAt !== null));
    const flowing = () => Promise.all([callPage(a, 'bytesReceived', callId), callPage(b, 'bytesReceived', callId)]);
    const atStart = await waitFor('media flowing both ways', flowing, ([x, y]) => x > 0 && y > 0);

    proxy.cut();
    const cutAt = Date.now();
    // The server notices at once and tells Bob; Alice is reconnecting.
    await waitFor('bob told alice is gone', () => callPage(b, 'oursState', callId), (s) => s.peerConnected === false, 10_000);
    expect((await callPage(a, 'oursState', callId)).connection).not.toBe('online');
    let last = atStart;
    while (Date.now() - cutAt < CUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const now = await flowing();
      // Media keeps flowing in both directions while signalling is down.
      expect(now[0]).toBeGreaterThan(last[0]);
      expect(now[1]).toBeGreaterThan(last[1]);
      expect((await callPage(a, 'oursState', callId)).phase).toBe('active');
      last = now;
    }
    expect(proxy.refused()).toBeGreaterThan(0); // Alice did try to come back during the cut
    proxy.restore();
    const restoredAt = Date.now();

    // Signalling resumes: Alice registered again, the call is still up on both sides with the peer connected.
    await waitFor('alice back with the call active', () => callPage(a, 'oursState', callId), (s) => s.connection === 'online' && s.phase === 'active' && s.peerConnected === true, 40_000);
    console.log(`signalling drop: cut ${CUT_MS} ms, ${proxy.refused()} reconnect attempts refused, alice back ${Date.now() - restoredAt} ms after the restore`);
    await waitFor('bob sees alice again', () => callPage(b, 'oursState', callId), (s) => s.phase === 'active' && s.peerConnected === true);
    const after = await flowing();
    await waitFor('media still flowing', flowing, ([x, y]) => x > after[0] && y > after[1]);

    // And it ends cleanly.
    await callPage(a, 'oursHangup', callId);
    await waitFor('both ended by hang-up', async () => [await callPage(a, 'result', callId), await callPage(b, 'result', callId)], (r) => r.every((x) => x.endReason === 'hangup'));
    const history = await api<HistoryResponse>(server.url, 'GET', '/api/history', undefined, bob.accessToken);
    expect(history.calls.find((c) => c.callId === callId)).toMatchObject({ outcome: 'answered', endReason: 'hangup', missed: false });
    expect(server.exitCode()).toBeNull();
  });
});
