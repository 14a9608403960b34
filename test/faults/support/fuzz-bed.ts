import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type AuthResponse } from '../../../shared/protocol';
import { api, registerUser, removeDataDir, startServer, type TestServer } from '../../support/server';
import { snapshotStore } from './database';

/**
 * The fuzzing target: a real server with a little real state that the attacker (mallory) must not be
 * able to touch — an answered call between carol and dave, a call from alice ringing at bob, a missed
 * call of bob's — plus the sockets that keep those calls alive.
 */
export interface FuzzBed {
  server: TestServer;
  mallory: AuthResponse;
  /** An admin (ADMIN_USERS): the line routes are fuzzed with its token too. */
  admin: AuthResponse;
  /** A line (with fuzz-bob as member) the admin's malformed requests aim at. */
  lineId: string;
  /** Calls mallory is no participant of: [answered, ringing]. */
  foreignCallIds: string[];
  /** Missed-call ids of another user. */
  foreignMissedIds: string[];
  /** Other users' ids (valid presence subscriptions are not malformed, so only used for shape). */
  otherUserIds: string[];
  /** A new socket of mallory's (one per fuzzed event, so a dropped one never hides another's result). */
  connectMallory(deviceId: string): Promise<Socket>;
  snapshot(): Promise<Record<string, unknown[]>>;
  close(): Promise<void>;
}

function connect(url: string, token: string, deviceId: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, auth: { token, deviceId, protocolVersion: PROTOCOL_VERSION } });
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function ok<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await socket.timeout(5_000).emitWithAck(event, payload)) as { ok: boolean } & T;
  if (!ack.ok) throw new Error(`${event} refused: ${JSON.stringify(ack)}`);
  return ack;
}

export async function startFuzzBed(): Promise<FuzzBed> {
  // Long timers: nothing may end by itself while the fuzzer runs, or the snapshot would change.
  const server = await startServer({ env: { RING_TIMEOUT_MS: '3600000', CALL_RESUME_GRACE_MS: '3600000', ADMIN_USERS: 'fuzz-admin' } });
  const [mallory, alice, bob, carol, dave, admin] = await Promise.all(['mallory', 'alice', 'bob', 'carol', 'dave', 'admin'].map((name) => registerUser(server.url, `fuzz-${name}`)));
  if (!mallory || !alice || !bob || !carol || !dave || !admin) throw new Error('registration failed');
  const { line } = await api<{ line: { lineId: string } }>(server.url, 'POST', '/api/lines', { name: 'fuzz-line', displayName: 'Fuzz line' }, admin.accessToken);
  await api(server.url, 'PUT', `/api/lines/${line.lineId}/members/${bob.user.username}`, undefined, admin.accessToken);
  const sockets: Socket[] = [];
  const device = async (auth: AuthResponse, name: string) => {
    const socket = await connect(server.url, auth.accessToken, `fuzz-${name}-device`);
    sockets.push(socket);
    return socket;
  };
  const [a, b, c, d] = await Promise.all([device(alice, 'alice'), device(bob, 'bob'), device(carol, 'carol'), device(dave, 'dave')]);
  if (!a || !b || !c || !d) throw new Error('connect failed');

  // bob's missed call: alice calls, cancels.
  const missedDelivered = new Promise<string[]>((resolve) => b.once('missed:calls', (p: { calls: { id: string }[] }) => resolve(p.calls.map((m) => m.id))));
  const cancelled = await ok<{ callId: string }>(a, 'call:invite', { to: bob.user.username, media: 'audio' });
  await ok(a, 'call:cancel', { callId: cancelled.callId });
  const missed = await missedDelivered;
  const answered = await ok<{ callId: string }>(c, 'call:invite', { to: dave.user.username, media: 'video' });
  await ok(d, 'call:accept', { callId: answered.callId });
  const ringing = await ok<{ callId: string }>(a, 'call:invite', { to: bob.user.username, media: 'audio' });

  return {
    server,
    mallory,
    admin,
    lineId: line.lineId,
    foreignCallIds: [answered.callId, ringing.callId],
    foreignMissedIds: missed,
    otherUserIds: [alice.user.userId, bob.user.userId, carol.user.userId, dave.user.userId],
    async connectMallory(deviceId) {
      const socket = await connect(server.url, mallory.accessToken, deviceId);
      sockets.push(socket);
      return socket;
    },
    snapshot: () => snapshotStore(server),
    async close() {
      sockets.forEach((socket) => socket.close());
      await server.stop();
      removeDataDir(server);
    },
  };
}

/** The server is still up and still serves: /healthz answers and an authenticated API call works. */
export async function stillServing(bed: FuzzBed): Promise<boolean> {
  const health = await api<{ status: string }>(bed.server.url, 'GET', '/healthz');
  const me = await api<{ user: { userId: string } }>(bed.server.url, 'GET', '/api/me', undefined, bed.mallory.accessToken);
  return health.status === 'ok' && me.user.userId === bed.mallory.user.userId && bed.server.exitCode() === null;
}
