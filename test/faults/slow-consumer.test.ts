import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { registerUser, removeDataDir, startServer, type TestServer } from '../support/server';
import { watchPeakRss } from './support/process-memory';

/**
 * Fault injection: a slow consumer. A callee device stops reading its socket while the other side floods
 * the call with large signals. socket.io (engine.io) queues outgoing packets for a socket without limit
 * while its transport is not writable, so without a guard the server's memory grows with the flood until
 * the ping timeout (up to 45 s later). The bound below is derived from baselines measured in the same
 * test — the same flood to a device that reads, and to a device that is gone — plus a fixed allowance far
 * below the flood's volume.
 */

const SIGNALS = 8_000;
const SDP = 'v=0\r\n'.padEnd(30_000, 'a');
const FLOOD_BYTES = SIGNALS * SDP.length; // ~240 MB
const ALLOWANCE = 64 * 2 ** 20; // kernel socket buffers + one 4 MB queue + GC slack; the unguarded growth is ~the whole flood

const servers: TestServer[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.close());
  for (const server of servers.splice(0)) {
    await server.stop();
    removeDataDir(server);
  }
});

function device(url: string, token: string, deviceId: string, reconnection = false): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection, reconnectionDelay: 200, auth: { token, deviceId, protocolVersion: PROTOCOL_VERSION } });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Sends `count` signals with at most `window` unacknowledged; resolves with how many were delivered live. */
async function flood(socket: Socket, callId: string, count: number, window = 32): Promise<number> {
  let sent = 0;
  let delivered = 0;
  const lane = async () => {
    while (sent < count) {
      sent++;
      const ack = (await socket.timeout(30_000).emitWithAck('call:signal', { callId, data: { type: 'offer', sdp: SDP } })) as { ok: boolean; delivered?: boolean };
      if (!ack.ok) throw new Error(`signal refused: ${JSON.stringify(ack)}`);
      if (ack.delivered) delivered++;
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return delivered;
}

/** The underlying TCP socket of a socket.io-client connection (Node, websocket transport). */
function tcpOf(socket: Socket): { pause(): void; resume(): void } {
  const tcp = (socket.io.engine as unknown as { transport: { ws: { _socket: { pause(): void; resume(): void } } } }).transport.ws._socket;
  if (!tcp) throw new Error('no TCP socket');
  return tcp;
}

describe('slow consumer', () => {
  it('a device that stops reading does not grow the server memory with the flood; it is cut off and resumes', { timeout: 120_000 }, async () => {
    // The flood is far over the per-device call:signal limits, which are a separate defence (see security.test.ts).
    const server = await startServer({ env: { SIGNAL_RATE_LIMIT: '1000000', SIGNAL_BYTE_LIMIT: '1000000000000' } });
    servers.push(server);
    const pid = server.pid();
    if (!pid) throw new Error('no server pid');
    const [alice, bob] = await Promise.all([registerUser(server.url, 'slow-alice'), registerUser(server.url, 'slow-bob')]);
    const a = await device(server.url, alice.accessToken, 'slow-alice-device');
    const b = await device(server.url, bob.accessToken, 'slow-bob-device', true);
    b.on('call:signal', (_signal: unknown, ack?: (response: unknown) => void) => ack?.({})); // a device acknowledges what it reads
    const invited = (await a.emitWithAck('call:invite', { to: bob.user.username, media: 'audio' })) as { callId: string };
    await b.emitWithAck('call:accept', { callId: invited.callId });
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    const growthDuring = async (work: () => Promise<unknown>) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const watch = watchPeakRss(pid);
      const before = watch.stop();
      const peak = watchPeakRss(pid);
      await work();
      return peak.stop() - before;
    };

    // Baselines: the same flood to a device that reads, and to a device that is gone (the server keeps the
    // call for the resume grace and buffers at most 100 signals) — where a cut-off slow consumer ends up.
    const reading = await growthDuring(async () => expect(await flood(a, invited.callId, SIGNALS)).toBe(SIGNALS));
    b.disconnect();
    const gone = await growthDuring(async () => expect(await flood(a, invited.callId, SIGNALS)).toBe(0));
    const back = new Promise((resolve) => b.once('session:ready', resolve));
    b.connect();
    await back;

    // The same flood while bob's device has stopped reading.
    const peerDropped = new Promise((resolve) => a.on('call:peer-connection', (p: { connected: boolean }) => !p.connected && resolve(p)));
    // The device comes back on a new connection: after the cut-off, or sooner when its own heartbeat check
    // gives up on the silent old one (pingInterval + pingTimeout, ~10 s).
    const resumed = new Promise<{ activeCalls: { callId: string }[] }>((resolve) => b.once('session:ready', resolve));
    const tcp = tcpOf(b);
    tcp.pause();
    const stalled = await growthDuring(() => flood(a, invited.callId, SIGNALS));
    const bound = Math.max(0, reading, gone) + ALLOWANCE;
    console.log(`slow consumer: flood ${mib(FLOOD_BYTES)}; server RSS growth ${mib(reading)} to a reading device, ${mib(gone)} to a gone one, ${mib(stalled)} to a stalled one (bound ${mib(bound)})`);
    expect(stalled).toBeLessThan(bound);

    // The server cut the stalled device off (the other side is told), and it comes back into the same call.
    await peerDropped;
    tcp.resume();
    expect((await resumed).activeCalls.map((c) => c.callId)).toEqual([invited.callId]);
    const ack = (await a.emitWithAck('call:signal', { callId: invited.callId, data: { renegotiate: true } })) as { ok: boolean; delivered: boolean };
    expect(ack).toEqual({ ok: true, delivered: true });
    expect(server.exitCode()).toBeNull();
  });
});
