import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawDevice, newUser } from '../../server/test/helpers/raw-device';
import { PROTOCOL_VERSION, type AuthResponse } from '../../shared/protocol';
import { api, registerUser } from '../support/server';
import { redisCommand, signallingNode, startCluster, type Cluster } from '../support/infra';
import { CommitInstant } from './support/commit-instant';

/**
 * The cluster profile across real processes: Postgres, Redis, three signalling nodes (the compiled
 * service with DATABASE_URL and REDIS_URL) and HAProxy, started by the rig. Devices connect to the
 * node the test names, bypassing the front, so "on node 2" is a fact, not a chance.
 */

const MAX_DEVICES = 3;
const INVITE_LIMIT = 25;
const RING_TIMEOUT_MS = 4_000;
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
    node: await signallingNode({
      MAX_DEVICES_PER_USER: String(MAX_DEVICES),
      INVITE_RATE_LIMIT: String(INVITE_LIMIT),
      REGISTER_RATE_LIMIT: '1000',
      RING_TIMEOUT_MS: String(RING_TIMEOUT_MS),
      LOG_LEVEL: 'warn',
      ADMIN_USERS: 'xline-admin,xbusy-admin,xlost-admin,xwait-admin',
    }),
  });
}, 120_000);

afterAll(async () => {
  devices.forEach((device) => device.close());
  await cluster?.stop();
}, 60_000);

describe('cluster profile across three nodes', () => {
  it('a caller on node 1 rings both devices of the callee, on nodes 2 and 3; one answers, the other is told answered-elsewhere within 1 s', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xcaller'), newUser(cluster.url, 'xcallee')]);
    const a = await on('n1', caller, 'dev-xcaller-001');
    const b2 = await on('n2', callee, 'dev-xcallee-002');
    const b3 = await on('n3', callee, 'dev-xcallee-003');
    const invited = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    expect(invited).toMatchObject({ status: 'ringing', devices: 2 });
    const [on2, on3] = await Promise.all([b2.next('call:incoming'), b3.next('call:incoming')]);
    expect(on2.callId).toBe(invited.callId);
    expect(on3.callId).toBe(invited.callId);
    const answeredAt = Date.now();
    await b3.ok('call:accept', { callId: invited.callId });
    const [ended] = await Promise.all([b2.next('call:ended'), a.next('call:accepted')]);
    expect(ended).toMatchObject({ callId: invited.callId, reason: 'answered-elsewhere' });
    expect(Date.now() - answeredAt).toBeLessThan(1_000);
    // The caller's node placed the call and saw it ringing; the answer happened on node 3. Signals and the
    // hang-up from the caller's side still work: that node takes the stored state, not its stale copy.
    await a.ok('call:signal', { callId: invited.callId, data: { type: 'offer', sdp: 'v=0' } });
    expect(await b3.next('call:signal')).toMatchObject({ callId: invited.callId, data: { type: 'offer' } });
    await b3.ok('call:signal', { callId: invited.callId, data: { type: 'answer', sdp: 'v=0' } });
    expect(await a.next('call:signal')).toMatchObject({ callId: invited.callId, data: { type: 'answer' } });
    await a.ok('call:hangup', { callId: invited.callId });
    expect(await b3.next('call:ended')).toMatchObject({ callId: invited.callId, reason: 'hangup' });
  });

  it('20 accept races across nodes 2 and 3 each end with exactly one winner', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xrace'), newUser(cluster.url, 'xracee')]);
    const a = await on('n1', caller, 'dev-xrace-001');
    const b2 = await on('n2', callee, 'dev-xracee-002');
    const b3 = await on('n3', callee, 'dev-xracee-003');
    for (let i = 0; i < 20; i++) {
      const { callId } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
      await Promise.all([b2.next('call:incoming', (c) => c.callId === callId), b3.next('call:incoming', (c) => c.callId === callId)]);
      const answers = await Promise.all([b2.request('call:accept', { callId }), b3.request('call:accept', { callId })]);
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(answers.find((answer) => !answer.ok)).toMatchObject({ error: { code: 'ALREADY_ANSWERED' } });
      await a.next('call:accepted', (c) => c.callId === callId);
      await (answers[0]!.ok ? b2 : b3).ok('call:hangup', { callId });
    }
  }, 60_000);

  it('kill -9 of the node that armed the ring timer: the call still ends no-answer on time, with exactly one missed call', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xtimer'), newUser(cluster.url, 'xtimeree')]);
    const a = await on('n1', caller, 'dev-xtimer-001');
    const b = await on('n2', callee, 'dev-xtimeree-002');
    const { callId, ringUntil } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    await b.next('call:incoming', (c) => c.callId === callId);
    await cluster.node('n1').kill9(); // n1 armed the ring timer (and held the caller)
    try {
      const ended = await b.next('call:ended', (c) => c.callId === callId, RING_TIMEOUT_MS + 10_000);
      expect(ended.reason).toBe('no-answer');
      expect(Date.now() - Date.parse(ringUntil)).toBeLessThan(3_000); // on time: the job's delay plus one handler run, on a loaded machine
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // a duplicated end would deliver a second missed call by now
      expect(b.all('missed:calls').flatMap((m) => m.calls).filter((m) => m.callId === callId)).toHaveLength(1);
    } finally {
      await cluster.node('n1').start(); // the later tests use node 1
    }
  }, 60_000);

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

  it('a caller on node 1 reaches an agent on node 2 through a line: queued, offered, back on node 3 after a drop with its place, answered, talked, ended into wrap-up', async () => {
    const admin = await registerUser(cluster.url, 'xline-admin');
    const [caller, agent] = await Promise.all([newUser(cluster.url, 'xlcaller'), newUser(cluster.url, 'xlagent')]);
    const { line } = await api<{ line: { lineId: string; name: string } }>(cluster.url, 'POST', '/api/lines', { name: 'xsupport', displayName: 'Support', wrapUp: { mode: 'optional', timeMs: 30_000 } }, admin.accessToken);
    await api(cluster.url, 'PUT', `/api/lines/${line.lineId}/members/${agent.user.username}`, undefined, admin.accessToken);
    const b = await on('n2', agent, 'dev-xlagent-002');
    const first = await on('n1', caller, 'dev-xlcaller-001');
    const invited = await first.ok('call:invite', { to: 'xsupport', media: 'audio' });
    expect(invited).toMatchObject({ status: 'queued', line: { name: 'xsupport' }, queue: { position: 1 } });
    expect(await b.next('call:incoming')).toMatchObject({ callId: invited.callId, line: { name: 'xsupport' }, from: { userId: caller.user.userId } });
    // The caller's signalling drops on node 1 and comes back on node 3 within the grace: its call still waits there.
    const gone = new Promise((resolve) => first.socket.once('disconnect', resolve));
    first.close();
    await gone;
    await b.settle();
    const a = await on('n3', caller, 'dev-xlcaller-001');
    expect(a.all('session:ready')[0]!.queuedCalls).toMatchObject([{ callId: invited.callId, line: { name: 'xsupport' }, queue: { position: 1 } }]);
    await b.ok('call:accept', { callId: invited.callId });
    expect(await a.next('call:accepted')).toMatchObject({ callId: invited.callId, by: { userId: agent.user.userId } });
    await a.ok('call:signal', { callId: invited.callId, data: { type: 'offer', sdp: 'v=0' } });
    expect(await b.next('call:signal')).toMatchObject({ callId: invited.callId, data: { type: 'offer' } });
    await a.ok('call:hangup', { callId: invited.callId });
    expect(await b.next('call:ended')).toMatchObject({ callId: invited.callId, reason: 'hangup' });
    expect((await b.next('agent:status', (status) => status.wrapUp !== null)).wrapUp).toMatchObject({ callId: invited.callId, mode: 'optional' });
  });

  it('a line on node 1 sees the agents of node 2: one in a call there is busy and not offered, one only connected there is available and offered', async () => {
    const admin = await registerUser(cluster.url, 'xbusy-admin');
    const [caller, busy, free, friend] = await Promise.all(['xbcaller', 'xbbusy', 'xbfree', 'xbfriend'].map((name) => newUser(cluster.url, name)));
    const { line } = await api<{ line: { lineId: string } }>(cluster.url, 'POST', '/api/lines', { name: 'xbusyline', displayName: 'Busy line', wrapUp: { mode: 'none', timeMs: 30_000 } }, admin.accessToken);
    for (const agent of [busy!, free!]) await api(cluster.url, 'PUT', `/api/lines/${line.lineId}/members/${agent.user.username}`, undefined, admin.accessToken);
    // The busy agent talks to a friend, both on node 2: node 1 holds neither their sockets nor their call.
    const b = await on('n2', busy!, 'dev-xbbusy-002');
    const f = await on('n2', friend!, 'dev-xbfriend-002');
    const { callId: talk } = await f.ok('call:invite', { to: busy!.user.username, media: 'audio' });
    await b.next('call:incoming', (incoming) => incoming.callId === talk);
    await b.ok('call:accept', { callId: talk });
    await f.next('call:accepted');
    const free2 = await on('n2', free!, 'dev-xbfree-002');
    // The supervisor watches on node 2; the caller's invite (and its dispatch) happen on node 1, where nobody watches.
    const s = await on('n2', admin, 'dev-xbadmin-002');
    const { views } = await s.ok('line:watch', { lineIds: [line.lineId] });
    const stateOf = (agents: Array<{ user: { userId: string }; state: string }>, userId: string) => agents.find((agent) => agent.user.userId === userId)?.state;
    expect(stateOf(views[0]!.agents, busy!.user.userId)).toBe('busy');
    expect(stateOf(views[0]!.agents, free!.user.userId)).toBe('available');

    const c = await on('n1', caller!, 'dev-xbcaller-001');
    const invited = await c.ok('call:invite', { to: 'xbusyline', media: 'audio' });
    expect(await free2.next('call:incoming')).toMatchObject({ callId: invited.callId, line: { name: 'xbusyline' } });
    // Node 1 builds no view (no watcher there) but tells the others the line changed: node 2 builds it for its watcher.
    expect(await s.next('line:view', (view) => view.entries.some((entry) => entry.callId === invited.callId))).toMatchObject({ waiting: 1 });
    await free2.ok('call:accept', { callId: invited.callId });
    await c.next('call:accepted');
    await b.settle();
    expect(b.all('call:incoming', (incoming) => incoming.callId === invited.callId)).toEqual([]);
    await c.ok('call:hangup', { callId: invited.callId });
    await f.ok('call:hangup', { callId: talk });
  });

  it('kill -9 of node 1 right after it committed a line\'s offer round, before anything it did next reached Redis: the round still times out on another node', async () => {
    const admin = await registerUser(cluster.url, 'xlost-admin');
    const [caller, agent] = await Promise.all([newUser(cluster.url, 'xlocaller'), newUser(cluster.url, 'xloagent')]);
    const { line } = await api<{ line: { lineId: string } }>(cluster.url, 'POST', '/api/lines', { name: 'xlostline', displayName: 'Lost round', offerTimeoutMs: 2_000, wrapUp: { mode: 'none', timeMs: 30_000 } }, admin.accessToken);
    await api(cluster.url, 'PUT', `/api/lines/${line.lineId}/members/${agent!.user.username}`, undefined, admin.accessToken);
    await on('n2', agent!, 'dev-xloagent-002');
    const a = await on('n1', caller!, 'dev-xlocaller-001');
    // The agent's row is locked: node 1's round (which reserves the agent first) waits for it.
    const instant = await new CommitInstant(cluster).open();
    const entryState = async (id: string) => (await instant.db.query('SELECT state FROM queue_entries WHERE id = $1', [id])).rows[0]?.state as string | undefined;
    let callId = '';
    try {
      await instant.killRightAfterCommit('n1', {
        lock: 'SELECT user_id FROM agent_states WHERE user_id = $1 FOR UPDATE',
        params: [agent!.user.userId],
        start: async () => ({ callId } = await a.ok('call:invite', { to: 'xlostline', media: 'audio' })),
        committed: async () => (await entryState(callId)) === 'offered',
      });
      // Offered for 2 s: then the round times out (the entry waits again) on whichever node runs its timer.
      await waitUntil(async () => (await entryState(callId)) !== 'offered', 'the round timed out', 15_000);
      const offers = await instant.db.query('SELECT outcome FROM line_offers WHERE entry_id = $1', [callId]);
      expect(offers.rows.map((row: { outcome: string }) => row.outcome)).toEqual(['timed-out']);
    } finally {
      await instant.close('n1');
    }
  }, 60_000);

  it('kill -9 of node 1 right after it stored a caller in a line: its maximum wait still ends the call on another node', async () => {
    const admin = await registerUser(cluster.url, 'xwait-admin');
    const caller = await newUser(cluster.url, 'xlwcaller');
    const { line } = await api<{ line: { lineId: string } }>(cluster.url, 'POST', '/api/lines', { name: 'xwaitline', displayName: 'No agents', maxWaitMs: 10_000, whenNoAgent: 'wait' }, admin.accessToken);
    const a = await on('n1', caller, 'dev-xlwcaller-001');
    // The line's row is locked: node 1's enqueue (which counts the waiting callers under it) waits for it.
    const instant = await new CommitInstant(cluster).open();
    const entry = async () => (await instant.db.query('SELECT id, state FROM queue_entries WHERE line_id = $1', [line.lineId])).rows[0] as { id: string; state: string } | undefined;
    try {
      await instant.killRightAfterCommit('n1', {
        lock: 'SELECT id FROM lines WHERE id = $1 FOR UPDATE',
        params: [line.lineId],
        start: () => void a.request('call:invite', { to: 'xwaitline', media: 'audio' }).catch(() => undefined), // never answered: node 1 dies first
        committed: async () => (await entry())?.state === 'waiting',
      });
      // The line's maximum wait (10 s from the invite) ends the entry on whichever node runs its timer.
      await waitUntil(async () => (await entry())?.state === 'timed-out', 'the maximum wait', 15_000);
    } finally {
      await instant.close('n1');
    }
  }, 60_000);

  it('the invite limit is shared: invites placed on node 1 count on node 2', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xlimit'), newUser(cluster.url, 'xlimitee')]);
    const a1 = await on('n1', caller, 'dev-xlimit-001');
    const a2 = await on('n2', caller, 'dev-xlimit-002');
    for (let i = 0; i < INVITE_LIMIT; i++) expect(await a1.ok('call:invite', { to: callee.user.username, media: 'audio' })).toMatchObject({ status: 'unavailable' });
    const refused = await a2.request('call:invite', { to: callee.user.username, media: 'audio' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });

  it('a consult across three nodes (customer on 1, agent on 2, expert on 3): hold, swap and complete behave as on one node', async () => {
    const [customer, agent, expert] = await Promise.all([newUser(cluster.url, 'xcust'), newUser(cluster.url, 'xagent'), newUser(cluster.url, 'xexpert')]);
    const c = await on('n1', customer, 'dev-xcust-001');
    const a = await on('n2', agent, 'dev-xagent-002');
    const e = await on('n3', expert, 'dev-xexpert-003');
    const { callId } = await c.ok('call:invite', { to: agent.user.username, media: 'audio' });
    await a.next('call:incoming');
    await a.ok('call:accept', { callId });
    await c.next('call:accepted');

    const { transfer } = await a.ok('call:transfer', { callId, to: expert.user.username, mode: 'consult' });
    const legCallId = transfer.legCallId!;
    expect(await c.next('call:hold')).toEqual({ callId, held: true, by: agent.user.userId });
    expect((await e.next('call:incoming')).context).toEqual({ kind: 'consult', by: agent.user, for: customer.user });
    await e.ok('call:accept', { callId: legCallId });
    await a.next('call:accepted', (accepted) => accepted.callId === legCallId);
    await a.next('transfer:updated', (view) => view.state === 'consulting');
    // Swap on node 2, about a leg answered on node 3: the expert is held, the customer live.
    await a.ok('transfer:swap', { transferId: transfer.transferId });
    expect(await e.next('call:hold')).toEqual({ callId: legCallId, held: true, by: agent.user.userId });
    expect(await c.next('call:hold')).toEqual({ callId, held: false, by: agent.user.userId });

    const done = await a.ok('transfer:complete', { transferId: transfer.transferId });
    const newCallId = done.transfer.newCallId!;
    expect(await c.next('call:replaced')).toMatchObject({ oldCallId: callId, call: { callId: newCallId, peer: expert.user } });
    expect(await e.next('call:replaced')).toMatchObject({ oldCallId: legCallId, call: { callId: newCallId, peer: customer.user } });
    expect(await a.next('call:ended', (ended) => ended.callId === callId)).toMatchObject({ reason: 'transferred' });
    // The new call is served from nodes 1 and 3, which did not create it.
    await c.ok('call:signal', { callId: newCallId, data: { type: 'offer', sdp: 'v=0' } });
    expect(await e.next('call:signal')).toMatchObject({ callId: newCallId, data: { type: 'offer' } });
    await e.ok('call:hangup', { callId: newCallId });
    expect(await c.next('call:ended', (ended) => ended.callId === newCallId)).toMatchObject({ reason: 'hangup' });
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
    // Each node's own connections come back within REDIS_RECONNECT_MAX_MS; until then it answers STORAGE_UNAVAILABLE (retry).
    let ack = await a.request('call:invite', { to: callee.user.username, media: 'audio' });
    for (let tries = 0; !ack.ok && ack.error.code === 'STORAGE_UNAVAILABLE' && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ack = await a.request('call:invite', { to: callee.user.username, media: 'audio' });
    }
    if (!ack.ok) throw new Error(`invite refused after Redis returned: ${JSON.stringify(ack.error)}`);
    const invited = ack;
    expect(invited).toMatchObject({ status: 'ringing', devices: 1 });
    expect((await b.next('call:incoming')).callId).toBe(invited.callId);
    expect(cluster.nodes.every((node) => node.running())).toBe(true);
  }, 60_000);

  it('Redis restarts empty while a call rings (its timer is lost): the database sweep still ends it no-answer, with one missed call', async () => {
    const [caller, callee] = await Promise.all([newUser(cluster.url, 'xsweep'), newUser(cluster.url, 'xsweepee')]);
    const a = await on('n1', caller, 'dev-xsweep-001');
    const b = await on('n2', callee, 'dev-xsweepee-002');
    const { callId, ringUntil } = await a.ok('call:invite', { to: callee.user.username, media: 'audio' });
    await b.next('call:incoming', (c) => c.callId === callId);
    // The timer is stored in Redis after the invite's answer: wait for it, so the restart surely loses it.
    await waitUntil(async () => (await redisCommand(cluster.redis!.port, `EXISTS timers:armed:ring:${callId}`)) === ':1', 'the ring timer stored in Redis', 10_000);
    await cluster.redis!.kill9();
    await cluster.redis!.restart(); // no persistence: the ring timer is gone
    const ended = await b.next('call:ended', (c) => c.callId === callId, RING_TIMEOUT_MS + 25_000);
    expect(ended.reason).toBe('no-answer');
    expect(Date.now() - Date.parse(ringUntil)).toBeLessThan(25_000); // slack 5 s + one sweep interval 10 s, on a loaded machine
    expect(cluster.nodes.some((node) => node.logs().includes(`"event":"deadline-swept","callId":"${callId}"`))).toBe(true);
    await a.next('call:ended', (c) => c.callId === callId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(b.all('missed:calls').flatMap((m) => m.calls).filter((m) => m.callId === callId)).toHaveLength(1);
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
