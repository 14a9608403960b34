import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawDevice, newUser } from '../../server/test/helpers/raw-device';
import { PROTOCOL_VERSION, type AuthResponse, type MissedCall } from '../../shared/protocol';
import { redisCommand, signallingNode, startCluster, type Cluster } from '../support/infra';
import { TEST_LIMITS_ENV } from '../support/server';

/**
 * A rolling restart (the way a deploy replaces every node): 1,000 devices connected through HAProxy, each
 * node in turn stopped with SIGTERM (drain, then shutdown) and started again, while a caller keeps placing
 * calls that nobody answers. Afterwards every device is registered again, and every call the caller was told
 * about is a missed call of its callee, exactly once. The devices are bare socket.io clients that reconnect as
 * PhoneCore does (socket.io's backoff; a refused handshake, e.g. STORAGE_UNAVAILABLE, is tried again), so the
 * test process stays light enough to restart the nodes on two shared cores.
 */

const USERS = 50;
const DEVICES_PER_USER = 20; // the default device cap
const CALLEES = 10; // the first users: every call goes to one of them
const RING_TIMEOUT_MS = 2_000;
const DRAIN_MS = 1_000; // above the rig front's time to mark a node down (checks every 500 ms, fastinter 250 ms, fall 2)

let cluster: Cluster;
const phones: Phone[] = [];

interface Phone {
  socket: Socket;
  userId: string;
  deviceId: string;
  /** How often it was registered (session:ready). */
  online: number;
  missed: Set<string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A device on the front; one session (access token) per user, shared by its devices. */
function startPhone(session: AuthResponse, deviceId: string): Promise<Phone> {
  const socket = io(cluster.url, {
    transports: ['websocket'],
    reconnectionDelay: 200,
    reconnectionDelayMax: 2_000,
    randomizationFactor: 0.5,
    auth: { token: session.accessToken, deviceId, protocolVersion: PROTOCOL_VERSION },
  });
  const phone: Phone = { socket, userId: session.user.userId, deviceId, online: 0, missed: new Set() };
  socket.on('missed:calls', (payload: { calls: MissedCall[] }) => payload.calls.forEach((call) => phone.missed.add(call.callId)));
  // socket.io-client gives up after a refused handshake; PhoneCore tries again with its backoff (connection-supervisor.ts).
  let refused = 0;
  socket.on('connect_error', () => {
    if (socket.active) return;
    const delayMs = Math.min(500 * 2 ** refused++, 5_000) * (0.5 + Math.random());
    setTimeout(() => socket.connect(), delayMs);
  });
  return new Promise((resolve) => {
    socket.on('session:ready', () => {
      refused = 0;
      phone.online += 1;
      if (phone.online === 1) resolve(phone);
    });
  });
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return results;
}

async function registeredDevices(users: AuthResponse[]): Promise<number> {
  const counts = await Promise.all(users.map((user) => redisCommand(cluster.redis!.port, `HLEN dir:devices:${user.user.userId}`)));
  return counts.reduce((sum, reply) => sum + Number(reply.slice(1)), 0);
}

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 3,
    nodeStartTimeoutMs: 90_000, // a restarted node starts while 1,000 clients storm the other two (on 2 shared cores)
    node: await signallingNode({
      ...TEST_LIMITS_ENV,
      RING_TIMEOUT_MS: String(RING_TIMEOUT_MS),
      DRAIN_MS: String(DRAIN_MS),
      INVITE_RATE_LIMIT: '100000',
      LOG_LEVEL: 'warn',
    }),
  });
}, 120_000);

afterAll(async () => {
  phones.forEach((phone) => phone.socket.disconnect());
  await cluster?.stop();
}, 60_000);

describe('rolling restart of every node', () => {
  it(`with ${USERS * DEVICES_PER_USER} connected devices: every device is registered again, no missed call is lost or doubled`, async () => {
    const users = await inBatches(
      Array.from({ length: USERS }, (_, i) => i),
      10,
      (i) => newUser(cluster.url, `roll${i}u`),
    );
    const devices = users.flatMap((user, u) => Array.from({ length: DEVICES_PER_USER }, (_, d) => ({ user, deviceId: `dev-roll-${u}-${d}` })));
    phones.push(...(await inBatches(devices, 50, ({ user, deviceId }) => startPhone(user, deviceId))));
    expect(await registeredDevices(users)).toBe(USERS * DEVICES_PER_USER);
    expect(Object.values(await cluster.haproxy.servers()).every((server) => server.sessions > 0)).toBe(true); // spread over the three nodes

    const caller = await startPhone(await newUser(cluster.url, 'rollcaller'), 'dev-rollcaller-001');
    phones.push(caller);
    const placed: Array<{ callId: string; calleeId: string }> = [];
    let restarting = true;
    const calling = (async () => {
      for (let i = 0; restarting; i++) {
        const callee = users[i % CALLEES]!;
        // Refused or unanswered while the caller's own node goes away: that call was never promised.
        const ack = await caller.socket
          .timeout(3_000)
          .emitWithAck('call:invite', { to: callee.user.username, media: 'audio' })
          .catch(() => null);
        if (ack?.ok) placed.push({ callId: ack.callId, calleeId: callee.user.userId });
        await sleep(200);
      }
    })();
    for (const node of cluster.nodes) {
      await node.stop();
      await node.start();
      await cluster.haproxy.waitFor(node.name, 'UP', 60_000);
    }
    restarting = false;
    await calling;

    const everyone = USERS * DEVICES_PER_USER;
    const deadline = Date.now() + 60_000;
    while ((await registeredDevices(users)) < everyone || phones.some((phone) => !phone.socket.connected)) {
      if (Date.now() > deadline) {
        const away = phones.filter((phone) => !phone.socket.connected).map((phone) => phone.deviceId);
        throw new Error(`registered again: ${await registeredDevices(users)} of ${everyone}; not online: ${away.slice(0, 10).join(', ')}`);
      }
      await sleep(200);
    }
    // Every device was moved at least once (each node was restarted): online a second time.
    expect(phones.filter((phone) => phone.online < 2).map((phone) => phone.deviceId)).toEqual([]);
    // Calls were placed while the nodes went away (how many depends on the machine's speed; at least one per restarted node).
    expect(placed.length).toBeGreaterThanOrEqual(cluster.nodes.length);

    // Every call ends no-answer at its deadline (or at the sweep, for one whose timer was lost) and reaches a device of its callee.
    const phonesOf = (userId: string) => phones.filter((phone) => phone.userId === userId);
    const undelivered = () => placed.filter(({ callId, calleeId }) => !phonesOf(calleeId).some((phone) => phone.missed.has(callId)));
    const delivered = Date.now() + 20_000;
    while (undelivered().length > 0 && Date.now() < delivered) await sleep(200);
    expect(undelivered()).toEqual([]);
    // What is stored: each callee's unread missed calls, read by one of its devices connecting again, hold every call once.
    await Promise.all(
      users.slice(0, CALLEES).map(async (callee) => {
        const phone = phonesOf(callee.user.userId)[0]!;
        phone.socket.disconnect();
        const device = await RawDevice.connect(cluster.url, callee.accessToken, phone.deviceId);
        const stored = (await device.next('missed:calls')).calls.map((call) => call.callId);
        device.close();
        const expected = placed.filter((call) => call.calleeId === callee.user.userId).map((call) => call.callId);
        expect(stored.filter((id) => expected.includes(id)).sort()).toEqual([...expected].sort());
        expect(new Set(stored).size).toBe(stored.length);
      }),
    );
  }, 400_000);
});
