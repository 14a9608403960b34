import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { RawDevice, newUser } from '../../server/test/helpers/raw-device';
import { startFcmStandIn, type FcmStandIn } from '../../server/test/push/support/fcm-stand-in';
import { fcmToken } from '../../server/test/push/support/payloads';
import { createTestCredentials, type TestCredentials } from '../../server/test/push/support/test-credentials';
import { api } from '../support/server';
import { PROTOCOL_VERSION, type AuthResponse, type ServerPayload } from '../../shared/protocol';
import { redisCommand, signallingNode, startCluster, type Cluster } from '../support/infra';
import { CommitInstant } from './support/commit-instant';

/**
 * The per-call and per-user state that must not depend on which node a device is on (cluster profile,
 * real Postgres, Redis, three nodes and HAProxy): the resume of a device that comes back on another node,
 * presence read on a node that holds none of the user's devices. Devices connect to the node the test
 * names, bypassing the front.
 */

type NodeName = 'n1' | 'n2' | 'n3';
const MAX_DEVICES = 2;
/** Long enough for a device to come back in the resume tests, short enough to wait for in the sweep's. */
const GRACE_MS = 8_000;
let cluster: Cluster;
const devices: RawDevice[] = [];

async function on(node: NodeName, user: AuthResponse, deviceId: string): Promise<RawDevice> {
  const device = await RawDevice.connect(cluster.node(node).url, user.accessToken, deviceId);
  devices.push(device);
  return device;
}

/** A call between a device of `caller` on `callerNode` and one of `callee` on `calleeNode`, answered. */
async function answeredCall(prefix: string, callerNode: NodeName, calleeNode: NodeName) {
  const [caller, callee] = await Promise.all([newUser(cluster.url, `${prefix}a`), newUser(cluster.url, `${prefix}b`)]);
  const a = await on(callerNode, caller, `dev-${prefix}a-001`);
  const b = await on(calleeNode, callee, `dev-${prefix}b-002`);
  const { callId } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
  await b.next('call:incoming', (c) => c.callId === callId);
  await b.ok('call:accept', { callId });
  await a.next('call:accepted', (c) => c.callId === callId);
  return { caller, callee, a, b, callId };
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const offer = (n: number) => ({ type: 'candidate' as const, candidate: { candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${9000 + n} typ host`, sdpMid: '0', sdpMLineIndex: 0 } });
const numbered = (signals: Array<ServerPayload<'call:signal'>>) => signals.map((s) => (s.data as { candidate: { candidate: string } }).candidate.candidate.split(' ')[0]);

let credentials: TestCredentials;
let fcm: FcmStandIn;

beforeAll(async () => {
  credentials = await createTestCredentials();
  fcm = await startFcmStandIn(credentials);
  const push = { ...credentials.env, PUSH_ENDPOINT_OVERRIDE: `fcm=${fcm.origin}`, PUSH_RETRY_BASE_MS: '100', PUSH_CANCEL_WINDOW_MS: '6000' };
  cluster = await startCluster({ nodes: 3, node: await signallingNode({ ...push, REGISTER_RATE_LIMIT: '1000', CALL_RESUME_GRACE_MS: String(GRACE_MS), MAX_DEVICES_PER_USER: String(MAX_DEVICES), LOG_LEVEL: 'warn' }) });
}, 120_000);

afterAll(async () => {
  devices.forEach((device) => device.close());
  await cluster?.stop();
  await fcm?.close();
  credentials?.remove();
}, 60_000);

describe('call state shared by every node', () => {
  it('a device whose signalling drops on node 2 and comes back on node 3 gets the signals sent meanwhile, in order, exactly once', async () => {
    const { callee, a, b, callId } = await answeredCall('xres', 'n1', 'n2');
    expect(await a.ok('call:signal', { callId, data: offer(0) })).toMatchObject({ delivered: true }); // acknowledged: never sent again
    b.close();
    expect(await a.next('call:peer-connection', (p) => p.callId === callId)).toEqual({ callId, connected: false });
    for (const n of [1, 2, 3]) expect(await a.ok('call:signal', { callId, data: offer(n) })).toMatchObject({ delivered: false }); // at once: known away

    const back = await on('n3', callee, b.deviceId);
    expect(back.all('session:ready')[0]!.activeCalls.map((c) => c.callId)).toEqual([callId]);
    await new Promise((resolve) => setTimeout(resolve, 300)); // (a duplicate would come right behind)
    await back.settle();
    const resent = back.all('call:signal', (s) => s.callId === callId);
    expect(numbered(resent)).toEqual(['candidate:1', 'candidate:2', 'candidate:3']);
    const seqs = resent.map((s) => s.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(resent.map((s) => s.stream)).size).toBe(1);
    expect(await a.next('call:peer-connection', (p) => p.callId === callId)).toEqual({ callId, connected: true });
    // Live again, from node 1 to node 3: the next signal follows the resent ones in the same numbering.
    expect(await a.ok('call:signal', { callId, data: offer(4) })).toMatchObject({ delivered: true });
    const after = back.all('call:signal', (s) => s.callId === callId);
    expect(numbered(after)).toEqual(['candidate:1', 'candidate:2', 'candidate:3', 'candidate:4']);
    expect(after[3]).toMatchObject({ seq: seqs[2]! + 1, stream: resent[0]!.stream });
    await a.ok('call:hangup', { callId });
  }, 60_000);

  it('kill -9 of the node holding a device mid-call: signals sent before anyone noticed reach it once it is back on another node', async () => {
    const { callee, a, b, callId } = await answeredCall('xkill', 'n1', 'n2');
    try {
      await cluster.node('n2').kill9();
      // Nothing told node 1: each signal waits for an acknowledgement that cannot come. (Sent at once, so their
      // order is the order node 1 numbered them: the device must get them in that order.)
      const sent = await Promise.all([1, 2].map((n) => a.ok('call:signal', { callId, data: offer(n) })));
      expect(sent.map((ack) => ack.delivered)).toEqual([false, false]);
      b.close();
      const back = await on('n3', callee, b.deviceId);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await back.settle();
      const resent = back.all('call:signal', (s) => s.callId === callId);
      expect(numbered(resent).sort()).toEqual(['candidate:1', 'candidate:2']);
      expect(resent[1]!.seq).toBe(resent[0]!.seq + 1);
      expect(await a.ok('call:signal', { callId, data: offer(3) })).toMatchObject({ delivered: true });
      const all = back.all('call:signal', (s) => s.callId === callId);
      expect(all).toHaveLength(3);
      expect(all[2]).toMatchObject({ seq: resent[1]!.seq + 1, stream: resent[0]!.stream });
      await a.ok('call:hangup', { callId });
    } finally {
      await cluster.node('n2').start();
    }
  }, 90_000);

  it('presence read on a node that holds none of the user\'s devices is right, and a device leaving one node while another stays is no offline', async () => {
    const [user, watcher, peer] = await Promise.all([newUser(cluster.url, 'xpres'), newUser(cluster.url, 'xpresw'), newUser(cluster.url, 'xpresp')]);
    const w = await on('n1', watcher, 'dev-xpresw-001');
    const read = async () => (await w.ok('presence:subscribe', { userIds: [user.user.userId] })).presence[0]!.status;
    const published = () => w.all('presence:changed', (p) => p.userId === user.user.userId).map((p) => p.status);
    expect(await read()).toBe('offline');
    const u2 = await on('n2', user, 'dev-xpres-002');
    expect(await read()).toBe('online');
    await w.next('presence:changed', (p) => p.userId === user.user.userId && p.status === 'online');
    await u2.ok('presence:set', { status: 'dnd' });
    await w.next('presence:changed', (p) => p.userId === user.user.userId && p.status === 'dnd');
    expect(await read()).toBe('dnd');
    const u3 = await on('n3', user, 'dev-xpres-003');
    await waitUntil(async () => (await redisCommand(cluster.redis!.port, `HLEN dir:devices:${user.user.userId}`)) === ':2', 'both devices in the directory');
    u2.close();
    const v = await on('n3', peer, 'dev-xpresp-003');
    const { callId } = await v.ok('call:invite', { to: user.user.username, media: 'audio' });
    await u3.next('call:incoming', (c) => c.callId === callId);
    await u3.ok('call:accept', { callId });
    await w.next('presence:changed', (p) => p.userId === user.user.userId && p.status === 'busy');
    expect(await read()).toBe('busy');
    await v.ok('call:hangup', { callId });
    await w.next('presence:changed', (p) => p.userId === user.user.userId && p.status === 'dnd');
    expect(await read()).toBe('dnd');
    u3.close();
    await w.next('presence:changed', (p) => p.userId === user.user.userId && p.status === 'offline');
    await w.settle();
    // Each change published once, in order; node 2 losing its device while node 3 kept one published nothing.
    expect(published()).toEqual(['online', 'dnd', 'busy', 'dnd', 'offline']);
    expect(await read()).toBe('offline');
  }, 60_000);

  it('devices of one user on two nodes: two leaving at once end offline (not online with no device), one leaving while another connects ends online, as published', async () => {
    const [user, watcher] = await Promise.all([newUser(cluster.url, 'xpresr'), newUser(cluster.url, 'xpresrw')]);
    const w = await on('n1', watcher, 'dev-xpresrw-001');
    await w.ok('presence:subscribe', { userIds: [user.user.userId] });
    const lastPublished = () => w.all('presence:changed', (p) => p.userId === user.user.userId).at(-1)?.status;
    const stored = () => redisCommand(cluster.redis!.port, `EXISTS presence:published:${user.user.userId}`);
    for (let round = 1; round <= 5; round++) {
      const [d2, d3] = await Promise.all([on('n2', user, `dev-xpresr-${round}02`), on('n3', user, `dev-xpresr-${round}03`)]);
      await waitUntil(async () => lastPublished() === 'online' && (await stored()) === ':1', `round ${round}: online`);
      d2.close();
      d3.close();
      await waitUntil(async () => (await redisCommand(cluster.redis!.port, `HLEN dir:devices:${user.user.userId}`)) === ':0', `round ${round}: both devices out of the directory`);
      // Each node decided from what the directory held when it published, not from a read that another node's leaving overtook.
      await waitUntil(async () => lastPublished() === 'offline' && (await stored()) === ':0', `round ${round}: offline, as published (last: ${lastPublished()})`, 3_000);
      expect((await w.ok('presence:subscribe', { userIds: [user.user.userId] })).presence[0]!.status).toBe('offline');
    }
    // One device leaving node 2 while another connects on node 3: online at the end, as published.
    let staying = await on('n2', user, 'dev-xpresr-swap02');
    for (let round = 1; round <= 3; round++) {
      await waitUntil(async () => lastPublished() === 'online' && (await stored()) === ':1', `swap ${round}: online`);
      staying.close();
      staying = await on(round % 2 === 1 ? 'n3' : 'n2', user, `dev-xpresr-swap${round}`);
      await waitUntil(async () => (await redisCommand(cluster.redis!.port, `HLEN dir:devices:${user.user.userId}`)) === ':1', `swap ${round}: one device in the directory`);
      await waitUntil(async () => lastPublished() === 'online' && (await stored()) === ':1', `swap ${round}: online, as published (last: ${lastPublished()})`, 3_000);
    }
  }, 60_000);

  it(`the device cap (${MAX_DEVICES}) holds when two new devices connect at the same moment on two nodes: one gets the last place, the other is refused`, async () => {
    const user = await newUser(cluster.url, 'xcapr');
    await on('n1', user, 'dev-xcapr-001');
    /** A raw connect: 'admitted' on session:ready, else the code session:closed names. */
    const attempt = (node: NodeName, deviceId: string) => {
      const socket = io(cluster.node(node).url, { transports: ['websocket'], reconnection: false, auth: { token: user.accessToken, deviceId, protocolVersion: PROTOCOL_VERSION } });
      return new Promise<{ socket: typeof socket; result: string }>((resolve) => {
        socket.on('session:ready', () => resolve({ socket, result: 'admitted' }));
        socket.on('session:closed', (payload: { error: { code: string } }) => resolve({ socket, result: payload.error.code }));
      });
    };
    const directorySize = () => redisCommand(cluster.redis!.port, `HLEN dir:devices:${user.user.userId}`);
    for (let round = 1; round <= 5; round++) {
      const attempts = await Promise.all([attempt('n2', `dev-xcapr-${round}02`), attempt('n3', `dev-xcapr-${round}03`)]);
      expect(attempts.map((a) => a.result).sort()).toEqual(['TOO_MANY_DEVICES', 'admitted']);
      expect(await directorySize()).toBe(`:${MAX_DEVICES}`);
      attempts.forEach((a) => a.socket.close());
      await waitUntil(async () => (await directorySize()) === ':1', 'the admitted device gone from the directory');
    }
  }, 60_000);

  it('Redis restarts empty while a participant is away (its grace timer is lost): the database sweep still ends the call connection-lost on time', async () => {
    const { a, b, callId } = await answeredCall('xgrace', 'n1', 'n2');
    b.close();
    const leftAt = Date.now();
    await a.next('call:peer-connection', (p) => p.callId === callId && !p.connected);
    // The job itself, not only its index entry (written first): once it is in Redis, the restart surely loses it.
    const graceJob = `bull:softphone-timers:grace*${callId}*${b.deviceId}*`;
    await waitUntil(async () => (await redisCommand(cluster.redis!.port, `KEYS ${graceJob}`)) === '*1', 'the grace timer stored in Redis');
    await cluster.redis!.kill9();
    await cluster.redis!.restart(); // no persistence: the grace timer and the away mark are gone
    const ended = await a.next('call:ended', (e) => e.callId === callId, GRACE_MS + 30_000);
    expect(ended.reason).toBe('connection-lost');
    expect(Date.now() - leftAt).toBeLessThan(GRACE_MS + 20_000); // slack 2 s + one sweep interval 5 s, on a loaded machine
    expect(cluster.nodes.some((node) => node.logs().includes(`"event":"grace-swept","callId":"${callId}"`))).toBe(true);
  }, 60_000);

  it('a phone whose invite node 1 pushed gets its cancel when the callee answers on a desktop on node 3', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xpush'), newUser(cluster.url, 'xpushee')]);
    const token = fcmToken();
    await api(cluster.url, 'PUT', '/api/push/devices/dev-xpushee-phone', { platform: 'android-fcm', token }, callee.accessToken);
    const a = await on('n1', caller, 'dev-xpush-001');
    const desk = await on('n3', callee, 'dev-xpushee-003');
    const { callId } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    const pushed = (type: 'invite' | 'cancel') => fcm.recorder.waitForPush((push) => push.token === token && push.payload.type === type && push.payload.callId === callId);
    await pushed('invite');
    await desk.next('call:incoming', (c) => c.callId === callId);
    await desk.ok('call:accept', { callId });
    expect((await pushed('cancel')).payload).toMatchObject({ type: 'cancel', reason: 'answered-elsewhere' });
    await desk.ok('call:hangup', { callId });
  }, 60_000);

  // Kills node 1 (started again at the end).
  it('kill -9 of node 1 right after it committed a call\'s end, before it could send the cancel push or store its retry: another node sends it', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xpcm'), newUser(cluster.url, 'xpcmee')]);
    const token = fcmToken();
    await api(cluster.url, 'PUT', '/api/push/devices/dev-xpcmee-phone', { platform: 'android-fcm', token }, callee.accessToken);
    const a = await on('n1', caller, 'dev-xpcm-001');
    const { callId } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    const cancels = () => fcm.recorder.pushesTo(token).filter((push) => push.payload.type === 'cancel' && push.payload.callId === callId);
    await fcm.recorder.waitForPush((push) => push.token === token && push.payload.type === 'invite' && push.payload.callId === callId);

    // The call's row is locked: node 1's end waits for it.
    const instant = await new CommitInstant(cluster).open();
    try {
      await instant.killRightAfterCommit('n1', {
        lock: 'SELECT id FROM calls WHERE id = $1 FOR UPDATE',
        params: [callId],
        start: () => void a.request('call:cancel', { callId }).catch(() => undefined), // never answered: node 1 dies first
        committed: async () => (await instant.db.query('SELECT status FROM calls WHERE id = $1', [callId])).rows[0]?.status === 'ended',
      });
      expect(cancels()).toEqual([]); // node 1 sent nothing
      // Within the cancel window (6 s here) counted from when the timer is due: BullMQ's workers may take a few seconds
      // to come back from the paused writes.
      await waitUntil(async () => cancels().length > 0, 'the cancel push, from another node', 15_000);
      expect(cancels()[0]!.payload).toMatchObject({ type: 'cancel', reason: 'cancelled' });
    } finally {
      await instant.close('n1');
    }
  }, 60_000);

  // Last in the file: it kills node 1 (started again at the end).
  it('cancel pushes outlive node 1 (kill -9): one refused (its retry moved to Retry-After), one hanging (its retry armed before the attempt, inside the window)', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xpcr'), newUser(cluster.url, 'xpcree')]);
    const refused = fcmToken();
    const hanging = fcmToken();
    // The invites go through. The first cancel to one phone is refused with Retry-After: 2 s (inside the 6 s cancel window, so a
    // timer that another node's worker takes up late on a loaded machine is still owed); to the other it never gets an answer,
    // and the request timeout (10 s) reaches past the window, so its retry is due just before the window ends.
    fcm.recorder.script(refused, { kind: 'ok' }, { kind: 'error', status: 503, retryAfter: '2' });
    fcm.recorder.script(hanging, { kind: 'ok' }, { kind: 'hang' });
    await api(cluster.url, 'PUT', '/api/push/devices/dev-xpcree-phone', { platform: 'android-fcm', token: refused }, callee.accessToken);
    await api(cluster.url, 'PUT', '/api/push/devices/dev-xpcree-phone2', { platform: 'android-fcm', token: hanging }, callee.accessToken);
    const a = await on('n1', caller, 'dev-xpcr-001');
    const { callId } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    const cancels = (token: string) => fcm.recorder.pushesTo(token).filter((push) => push.payload.type === 'cancel' && push.payload.callId === callId);
    for (const token of [refused, hanging]) await fcm.recorder.waitForPush((push) => push.token === token && push.payload.type === 'invite' && push.payload.callId === callId);

    await a.ok('call:cancel', { callId });
    await waitUntil(async () => cancels(refused).length === 1 && cancels(hanging).length === 1, 'the first cancel attempts, from node 1');
    // Logged once the retry (moved to Retry-After) is stored in Redis.
    await waitUntil(async () => cluster.node('n1').logs().includes(`"event":"push-cancel-retry","callId":"${callId}"`), 'the retry armed by node 1');
    await cluster.node('n1').kill9();

    await waitUntil(async () => cancels(refused).length === 2 && cancels(hanging).length === 2, 'the retried cancels, from another node', 12_000);
    expect(cancels(refused).map((push) => push.answer.kind)).toEqual(['error', 'ok']);
    expect(cancels(hanging).map((push) => push.answer.kind)).toEqual(['hang', 'ok']);
    for (const token of [refused, hanging]) expect(cancels(token)[1]!.payload).toMatchObject({ type: 'cancel', reason: 'cancelled' });
    await cluster.node('n1').start();
  }, 60_000);
});
