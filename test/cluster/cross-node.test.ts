import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawDevice, newUser } from '../../server/test/helpers/raw-device';
import { PROTOCOL_VERSION, type AuthResponse } from '../../shared/protocol';
import { redisCommand, signallingNode, startCluster, type Cluster } from '../support/infra';

/**
 * The cluster profile across real processes: Postgres, Redis, three signalling nodes (the compiled
 * service with DATABASE_URL and REDIS_URL) and HAProxy, started by the rig. Devices connect to the
 * node the test names, bypassing the front, so "on node 2" is a fact, not a chance.
 */

const MAX_DEVICES = 3;
const INVITE_LIMIT = 4;
let cluster: Cluster;
const devices: RawDevice[] = [];

async function on(node: 'n1' | 'n2' | 'n3', user: AuthResponse, deviceId: string): Promise<RawDevice> {
  const device = await RawDevice.connect(cluster.node(node).url, user.accessToken, deviceId);
  devices.push(device);
  return device;
}

async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 3,
    node: await signallingNode({ MAX_DEVICES_PER_USER: String(MAX_DEVICES), INVITE_RATE_LIMIT: String(INVITE_LIMIT), LOG_LEVEL: 'warn' }),
  });
}, 120_000);

afterAll(async () => {
  devices.forEach((device) => device.close());
  await cluster?.stop();
}, 60_000);

describe('cluster profile across three nodes', () => {
  it('a caller on node 1 rings both devices of the callee, on nodes 2 and 3', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xcaller'), newUser(cluster.url, 'xcallee')]);
    const a = await on('n1', caller, 'dev-xcaller-001');
    const b2 = await on('n2', callee, 'dev-xcallee-002');
    const b3 = await on('n3', callee, 'dev-xcallee-003');
    const invited = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    expect(invited).toMatchObject({ status: 'ringing', devices: 2 });
    const [on2, on3] = await Promise.all([b2.next('call:incoming'), b3.next('call:incoming')]);
    expect(on2.callId).toBe(invited.callId);
    expect(on3.callId).toBe(invited.callId);
  });

  it('one socket per (user, device) across nodes: the same device connecting on node 2 drops its socket on node 1', async () => {
    const user = await newUser(cluster.url, 'xsame');
    const first = await on('n1', user, 'dev-xsame-001');
    const dropped = new Promise<string>((resolve) => first.socket.on('disconnect', (reason) => resolve(reason)));
    const second = await on('n2', user, 'dev-xsame-001');
    expect(await dropped).toBe('io server disconnect');
    await second.settle();
    expect(second.socket.connected).toBe(true);
  });

  it(`the device cap counts devices on every node: a ${MAX_DEVICES + 1}th device is refused on any node, a known device reconnecting elsewhere is not`, async () => {
    const user = await newUser(cluster.url, 'xcap');
    await on('n1', user, 'dev-xcap-001');
    await on('n2', user, 'dev-xcap-002');
    const third = await on('n3', user, 'dev-xcap-003');
    const socket = io(cluster.node('n1').url, { transports: ['websocket'], reconnection: false, auth: { token: user.accessToken, deviceId: 'dev-xcap-004', protocolVersion: PROTOCOL_VERSION } });
    const refusal = await new Promise<{ closed: unknown; reason: string }>((resolve) => {
      let closed: unknown = null;
      socket.on('session:closed', (payload: unknown) => (closed = payload));
      socket.on('disconnect', (reason) => resolve({ closed, reason }));
    });
    socket.close();
    expect(refusal).toEqual({ closed: { error: expect.objectContaining({ code: 'TOO_MANY_DEVICES' }) }, reason: 'io server disconnect' });
    third.close();
    const again = await on('n1', user, 'dev-xcap-003');
    await again.settle();
  });

  it('the invite limit is shared: invites placed on node 1 count on node 2', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xlimit'), newUser(cluster.url, 'xlimitee')]);
    const a1 = await on('n1', caller, 'dev-xlimit-001');
    const a2 = await on('n2', caller, 'dev-xlimit-002');
    for (let i = 0; i < INVITE_LIMIT; i++) expect(await a1.ok('call:invite', { to: callee.user.username, media: 'audio' })).toMatchObject({ status: 'unavailable' });
    const refused = await a2.request('call:invite', { to: callee.user.username, media: 'audio' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('Redis restarts (empty, no persistence): no node crashes, an invite meanwhile is refused with STORAGE_UNAVAILABLE, and afterwards the devices still connected are found again', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xredis'), newUser(cluster.url, 'xredisee')]);
    const a = await on('n1', caller, 'dev-xredis-001');
    const b = await on('n2', callee, 'dev-xredisee-002');
    await cluster.redis!.kill9();
    try {
      const refused = await a.request('call:invite', { to: callee.user.username, media: 'audio' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'STORAGE_UNAVAILABLE' } });
    } finally {
      await cluster.redis!.restart();
    }
    expect(await redisCommand(cluster.redis!.port, 'DBSIZE')).toMatch(/^:\d+$/);
    await waitUntil(async () => (await redisCommand(cluster.redis!.port, `HLEN dir:devices:${callee.user.userId}`)) === ':1', 'the callee device back in the directory', 15_000);
    const invited = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    expect(invited).toMatchObject({ status: 'ringing', devices: 1 });
    expect((await b.next('call:incoming')).callId).toBe(invited.callId);
    expect(cluster.nodes.every((node) => node.running())).toBe(true);
  }, 60_000);

  it('kill -9 of a node: a survivor notices (no disconnect handler ran there) and takes its devices out of the directory', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xdead'), newUser(cluster.url, 'xdeadee')]);
    const a = await on('n1', caller, 'dev-xdead-001');
    await on('n3', callee, 'dev-xdeadee-003');
    const entries = () => redisCommand(cluster.redis!.port, `HLEN dir:devices:${callee.user.userId}`);
    expect(await entries()).toBe(':1');
    await cluster.node('n3').kill9();
    const took = await waitUntil(async () => (await entries()) === ':0', "the dead node's device leaves the directory", 30_000);
    expect(took).toBeLessThan(20_000); // heartbeat TTL 10 s + one sweep interval (3 s), with room for a loaded machine
    expect(await a.ok('call:invite', { to: callee.user.username, media: 'audio' })).toMatchObject({ status: 'unavailable', devices: 0 });
  }, 60_000);
});
