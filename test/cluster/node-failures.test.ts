import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawDevice, newUser } from '../../server/test/helpers/raw-device';
import type { AuthResponse } from '../../shared/protocol';
import { redisCommand, signallingNode, startCluster, type Cluster } from '../support/infra';
import { expectOneMissedCall, retryWhileUnavailable, signalBothWays } from './support/calls';

/**
 * A call survives the failures of the machines under it: kill -9 of the node that holds the caller's socket
 * (while the call rings, and mid-call), then a Redis and a Postgres outage mid-call. Real Postgres, Redis,
 * HAProxy and three compiled nodes; devices start on the node the test names and come back through the front,
 * as a client whose node died does.
 */

const RING_TIMEOUT_MS = 10_000;
const GRACE_MS = 5_000;
let cluster: Cluster;
const devices: RawDevice[] = [];

async function on(where: 'n1' | 'n2' | 'n3' | 'front', user: AuthResponse, deviceId: string): Promise<RawDevice> {
  const device = await RawDevice.connect(where === 'front' ? cluster.url : cluster.node(where).url, user.accessToken, deviceId);
  devices.push(device);
  return device;
}

/** The caller's node died under it: the same device connects again through the front (which sends it to a survivor). */
async function reconnectThroughFront(user: AuthResponse, deviceId: string): Promise<RawDevice> {
  return on('front', user, deviceId);
}

/** `from` calls the user of `to`, `to` answers: the call id. */
async function answeredCall(from: RawDevice, to: RawDevice, callee: AuthResponse): Promise<string> {
  const { callId } = await from.ok('call:invite', { to: callee.user.username, media: 'audio' });
  await to.next('call:incoming', (c) => c.callId === callId);
  await to.ok('call:accept', { callId });
  await from.next('call:accepted', (c) => c.callId === callId);
  return callId;
}

beforeAll(async () => {
  const node = await signallingNode({
    RING_TIMEOUT_MS: String(RING_TIMEOUT_MS),
    CALL_RESUME_GRACE_MS: String(GRACE_MS),
    REGISTER_RATE_LIMIT: '1000',
    LOG_LEVEL: 'info',
  });
  // n3's sockets keep socket.io's default heartbeat (25 s + 20 s): its devices do not notice a stall of a few
  // seconds past the cluster's heartbeat TTL (10 s) on their own.
  const slowHeartbeat = { HEARTBEAT_INTERVAL_MS: '25000', HEARTBEAT_TIMEOUT_MS: '20000' };
  cluster = await startCluster({
    nodes: 3,
    node: (ctx) => {
      const spec = node(ctx);
      return ctx.name === 'n3' ? { ...spec, env: { ...spec.env, ...slowHeartbeat } } : spec;
    },
  });
}, 120_000);

afterAll(async () => {
  devices.forEach((device) => device.close());
  await cluster?.stop();
}, 60_000);

describe('a call survives the node, the Redis and the Postgres under it', () => {
  it("kill -9 of the caller's node while the call rings: the caller comes back through the front to another node, the call rings on and is answered", async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'fring'), newUser(cluster.url, 'fringee')]);
    const a = await on('n1', caller, 'dev-fring-001');
    const b = await on('n2', callee, 'dev-fringee-002');
    const { callId } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    await b.next('call:incoming', (c) => c.callId === callId);
    await cluster.node('n1').kill9();
    try {
      const back = await reconnectThroughFront(caller, 'dev-fring-001');
      expect(back.all('session:ready')[0]?.outgoingCalls.map((c) => c.callId)).toEqual([callId]);
      expect(b.all('call:ended', (c) => c.callId === callId)).toEqual([]); // it rings on
      expect(await b.ok('call:accept', { callId })).toMatchObject({ peerConnected: true });
      await back.next('call:accepted', (c) => c.callId === callId);
      await signalBothWays(back, b, callId);
      await back.ok('call:hangup', { callId });
      expect(await b.next('call:ended', (c) => c.callId === callId)).toMatchObject({ reason: 'hangup' });
      expect(b.all('missed:calls').flatMap((m) => m.calls).filter((m) => m.callId === callId)).toEqual([]);
    } finally {
      await cluster.node('n1').start();
    }
  }, 60_000);

  it("kill -9 of the callers' node mid-call: a caller back through the front resumes signalling within the grace and its call stays up; calls whose caller stays away end connection-lost, whichever survivor notices", async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'fmid'), newUser(cluster.url, 'fmidee')]);
    const a = await on('n1', caller, 'dev-fmid-001');
    const b = await on('n2', callee, 'dev-fmidee-002');
    const resumed = await answeredCall(a, b, callee);
    // Two more calls from n1 whose callers will not come back: one callee on each survivor, so whichever
    // survivor notices n1's death, one of these calls is one it has never seen.
    const gone = await Promise.all(
      (['n2', 'n3'] as const).map(async (node, i) => {
        const [goneCaller, goneCallee] = await Promise.all([newUser(cluster.url, `fgone${i}`), newUser(cluster.url, `fgoneee${i}`)]);
        const from = await on('n1', goneCaller, `dev-fgone${i}-001`);
        const to = await on(node, goneCallee, `dev-fgoneee${i}-00${i + 2}`);
        return { to, callId: await answeredCall(from, to, goneCallee) };
      }),
    );
    await signalBothWays(a, b, resumed);
    const killedAt = Date.now();
    await cluster.node('n1').kill9();
    try {
      const back = await reconnectThroughFront(caller, 'dev-fmid-001');
      expect(back.all('session:ready')[0]?.activeCalls).toEqual([expect.objectContaining({ callId: resumed, role: 'caller', peerConnected: true })]);
      await signalBothWays(back, b, resumed);
      expect(Date.now() - killedAt).toBeLessThan(GRACE_MS);
      // A survivor notices n1's death (heartbeat TTL) and sweeps its devices: the callees of the callers that
      // stay away are told, and their calls end after the grace. The caller that came back is on another
      // node: nothing may start its grace, and its call is still up afterwards.
      for (const { to, callId } of gone) {
        expect(await to.next('call:peer-connection', (c) => c.callId === callId, 30_000)).toMatchObject({ connected: false });
        expect(await to.next('call:ended', (c) => c.callId === callId, GRACE_MS + 10_000)).toMatchObject({ reason: 'connection-lost' });
      }
      expect([...b.all('call:ended'), ...back.all('call:ended')].filter((c) => c.callId === resumed)).toEqual([]);
      // Its peer may hear `connected: true` when the caller resumes (a resume re-announces it), never `connected: false`.
      expect(b.all('call:peer-connection', (c) => c.callId === resumed && !c.connected)).toEqual([]);
      await signalBothWays(back, b, resumed);
      await b.ok('call:hangup', { callId: resumed });
      expect(await back.next('call:ended', (c) => c.callId === resumed)).toMatchObject({ reason: 'hangup' });
    } finally {
      await cluster.node('n1').start();
    }
  }, 90_000);

  it('Redis, then Postgres, go down and come back mid-call: no node crashes, the call stays up, and a call ringing meanwhile leaves exactly one missed call', async () => {
    const [caller, callee, ringer, missed] = await Promise.all([
      newUser(cluster.url, 'fstore'),
      newUser(cluster.url, 'fstoree'),
      newUser(cluster.url, 'fring2'),
      newUser(cluster.url, 'fmissed'),
    ]);
    const a = await on('n1', caller, 'dev-fstore-001');
    const b = await on('n2', callee, 'dev-fstoree-002');
    const r = await on('n1', ringer, 'dev-fring2-001');
    const m = await on('n3', missed, 'dev-fmissed-003');
    const callId = await answeredCall(a, b, callee);

    // Redis: killed and started again empty (no persistence), while a call rings that nobody answers.
    const ringingThroughRedis = await r.ok('call:invite', { to: missed.user.username, media: 'audio' });
    await m.next('call:incoming', (c) => c.callId === ringingThroughRedis.callId);
    await cluster.redis!.kill9();
    await cluster.redis!.restart();
    await signalBothWays(a, b, callId, { retryUndelivered: true }); // each node's Redis connections come back within their backoff
    expect(await m.next('call:ended', (c) => c.callId === ringingThroughRedis.callId, RING_TIMEOUT_MS + 25_000)).toMatchObject({ reason: 'no-answer' });

    // Postgres: killed while a second call rings; its deadline passes while Postgres is down.
    const ringingThroughPostgres = await r.ok('call:invite', { to: missed.user.username, media: 'audio' });
    await m.next('call:incoming', (c) => c.callId === ringingThroughPostgres.callId);
    await cluster.postgres!.kill9();
    try {
      await signalBothWays(a, b, callId); // signals of an answered call need no storage
      expect(await a.request('call:hold', { callId, held: true })).toMatchObject({ ok: true });
      expect(await b.next('call:hold', (c) => c.callId === callId)).toMatchObject({ held: true });
      const refused = await a.request('call:invite', { to: missed.user.username, media: 'audio' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'STORAGE_UNAVAILABLE' } });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(ringingThroughPostgres.ringUntil) - Date.now() + 1_500)));
      expect(m.all('call:ended', (c) => c.callId === ringingThroughPostgres.callId)).toEqual([]); // nothing told before it is committed
    } finally {
      await cluster.postgres!.restart();
    }
    expect(await m.next('call:ended', (c) => c.callId === ringingThroughPostgres.callId, 20_000)).toMatchObject({ reason: 'no-answer' });
    await signalBothWays(a, b, callId);
    await retryWhileUnavailable(() => b.request('call:hangup', { callId }));
    expect(await a.next('call:ended', (c) => c.callId === callId)).toMatchObject({ reason: 'hangup' });

    expect(cluster.nodes.every((node) => node.running())).toBe(true);
    await expectOneMissedCall(m, ringingThroughRedis.callId);
    await expectOneMissedCall(m, ringingThroughPostgres.callId);
    // What is stored: a device connecting now gets each unread missed call once.
    const later = await on('front', missed, 'dev-fmissed-004');
    const stored = (await later.next('missed:calls')).calls.map((call) => call.callId); // read after session:ready, sent in one batch
    expect(stored.filter((id) => id === ringingThroughRedis.callId)).toHaveLength(1);
    expect(stored.filter((id) => id === ringingThroughPostgres.callId)).toHaveLength(1);
  }, 120_000);

  it('a device whose unread missed calls cannot be read when it connects gets them once a read succeeds (the read is tried again)', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'fread'), newUser(cluster.url, 'freadee')]);
    const a = await on('n1', caller, 'dev-fread-001');
    const { callId, status } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    expect(status).toBe('unavailable'); // the callee has no device: a missed call at once
    // The read fails as it does when a reconnect storm saturates the pool: here the table is briefly away.
    const admin = new pg.Client({ connectionString: cluster.postgres!.url });
    await admin.connect();
    try {
      await admin.query('ALTER TABLE missed_calls RENAME TO missed_calls_away');
      const b = await on('n2', callee, 'dev-freadee-002');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(b.all('missed:calls')).toEqual([]);
      await admin.query('ALTER TABLE missed_calls_away RENAME TO missed_calls');
      expect((await b.next('missed:calls', () => true, 15_000)).calls.map((call) => call.callId)).toEqual([callId]);
    } finally {
      await admin.query('ALTER TABLE IF EXISTS missed_calls_away RENAME TO missed_calls');
      await admin.end();
    }
  });

  it('a node paused past the heartbeat TTL is declared dead; when it runs again it drops its sockets, and its devices register again and ring', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'fpause'), newUser(cluster.url, 'fpausee')]);
    const a = await on('n1', caller, 'dev-fpause-001');
    const b = await on('n3', callee, 'dev-fpausee-002');
    const devicesInDirectory = async () => Number((await redisCommand(cluster.redis!.port, `HLEN dir:devices:${callee.user.userId}`)).slice(1));
    expect(await devicesInDirectory()).toBe(1);
    const dropped = new Promise<string>((resolve) => b.socket.once('disconnect', resolve));
    const n3 = cluster.node('n3');
    process.kill(n3.pid(), 'SIGSTOP'); // a VM stall: no beat, no socket closes
    try {
      const deadline = Date.now() + 30_000;
      while ((await devicesInDirectory()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await devicesInDirectory()).toBe(0); // a survivor swept n3
    } finally {
      process.kill(n3.pid(), 'SIGCONT');
    }
    // n3 runs again and learns it was declared dead: it closes the device's connection (as a restart would), and
    // the device connects again and registers.
    expect(await dropped).toBe('transport close');
    const back = await on('front', callee, 'dev-fpausee-002');
    expect(await devicesInDirectory()).toBe(1);
    const { callId, status } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    expect(status).toBe('ringing');
    await back.next('call:incoming', (c) => c.callId === callId);
    await a.ok('call:cancel', { callId });
  }, 60_000);
});
