import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../../test/support/infra';
import { removeDataDir, startServer, type TestServer } from '../../test/support/server';
import { queryStore } from '../../test/support/test-store';
import { api } from '../../test/support/server';
import { deviceId, newUser, RawDevice } from './helpers/raw-device';
import { startFcmStandIn, type FcmStandIn } from './push/support/fcm-stand-in';
import { fcmToken } from './push/support/payloads';
import { createTestCredentials, type TestCredentials } from './push/support/test-credentials';

/**
 * Two nodes on one Postgres, without Redis (the durable half of the cluster profile, issue 13): the call
 * state is the stored row, every transition a compare-and-set, so no node owns a call. Devices reach each
 * node directly here (cross-node delivery is the Redis half).
 */
let postgres: PostgresServer;
let nodes: TestServer[] = [];
const devices: RawDevice[] = [];
let credentials: TestCredentials;
let fcm: FcmStandIn;
const env = () => ({ ...credentials.env, PUSH_ENDPOINT_OVERRIDE: `fcm=${fcm.origin}`, DATABASE_URL: postgres.url, JWT_SECRET: secret, RING_TIMEOUT_MS: '60000' });
const secret = randomBytes(32).toString('hex');

beforeAll(async () => {
  credentials = await createTestCredentials();
  [postgres, fcm] = await Promise.all([startPostgres(), startFcmStandIn(credentials)]);
  nodes = await Promise.all([startServer({ env: env() }), startServer({ env: env() })]);
}, 60_000);

afterAll(async () => {
  devices.splice(0).forEach((device) => device.close());
  for (const node of nodes) {
    await node.stop();
    removeDataDir(node);
  }
  await postgres?.stop();
  await fcm?.close();
  credentials?.remove();
});

const connect = async (node: TestServer, token: string, name: string) => {
  const device = await RawDevice.connect(node.url, token, deviceId(name));
  devices.push(device);
  return device;
};

describe('two nodes on one Postgres', () => {
  it('20 accept races across the nodes: each has exactly one winner, and the stored call names it', async () => {
    const [one, two] = nodes as [TestServer, TestServer];
    for (let round = 0; round < 20; round += 1) {
      const alice = await newUser(one.url, 'alice');
      const bob = await newUser(one.url, 'bob');
      const caller = await connect(one, alice.accessToken, `race-a${round}`);
      const desk = await connect(one, bob.accessToken, `race-desk${round}`);
      const { callId } = await caller.ok('call:invite', { to: bob.user.username, media: 'audio' });
      await desk.next('call:incoming');
      // A device of bob's on the other node: that node loads the ringing call from the shared store.
      const laptop = await connect(two, bob.accessToken, `race-laptop${round}`);
      expect(laptop.all('session:ready')[0]?.pendingInvites.map((invite) => invite.callId)).toEqual([callId]);

      const acks = await Promise.all([desk.request('call:accept', { callId }), laptop.request('call:accept', { callId })]);
      const winners = acks.flatMap((ack, index) => (ack.ok ? [[desk, laptop][index]!.deviceId] : []));
      expect(winners, `round ${round}: ${JSON.stringify(acks)}`).toHaveLength(1);
      const loser = acks.find((ack) => !ack.ok);
      expect(loser && !loser.ok && loser.error.code).toBe('ALREADY_ANSWERED');
      const [row] = await queryStore<{ status: string; answered_device_id: string; version: number }>(one, 'SELECT status, answered_device_id, version FROM calls WHERE id = ?', [callId]);
      expect(row).toEqual({ status: 'active', answered_device_id: winners[0], version: 1 });
      [caller, desk, laptop].forEach((device) => device.close());
    }
  });

  it('a call placed on one node is ended on the other: the missed call is recorded once, and a late end on the first node changes nothing', async () => {
    const [one, two] = nodes as [TestServer, TestServer];
    const alice = await newUser(one.url, 'alice');
    const bob = await newUser(one.url, 'bob');
    const bobDevice = await connect(one, bob.accessToken, 'end-b');
    const callerOne = await connect(one, alice.accessToken, 'end-a');
    const { callId } = await callerOne.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await bobDevice.next('call:incoming');
    // The caller's device moves to node two (a reconnect through the front) and cancels there.
    callerOne.close();
    const callerTwo = await connect(two, alice.accessToken, 'end-a');
    expect(callerTwo.all('session:ready')[0]?.outgoingCalls.map((call) => call.callId)).toEqual([callId]);
    await callerTwo.ok('call:cancel', { callId });
    // Node one still has its copy: bob's decline there loses the compare-and-set and is told the call is gone.
    const late = await bobDevice.request('call:reject', { callId, reason: 'busy' });
    expect(late.ok ? 'ok' : late.error.code).toBe('CALL_NOT_FOUND');
    const missed = await queryStore<{ call_id: string }>(one, 'SELECT call_id FROM missed_calls WHERE user_id = ?', [bob.user.userId]);
    expect(missed).toEqual([{ call_id: callId }]);
    const [row] = await queryStore<{ status: string; outcome: string }>(one, 'SELECT status, outcome FROM calls WHERE id = ?', [callId]);
    expect(row).toEqual({ status: 'ended', outcome: 'cancelled' });
  });

  it('a phone whose invite node one pushed gets its cancel when the callee answers on node two (the calls are shared without Redis too)', async () => {
    const [one, two] = nodes as [TestServer, TestServer];
    const alice = await newUser(one.url, 'alice');
    const bob = await newUser(one.url, 'bob');
    const token = fcmToken();
    await api(one.url, 'PUT', '/api/push/devices/dev-phone-0001', { platform: 'android-fcm', token }, bob.accessToken);
    const a = await connect(one, alice.accessToken, 'push-a');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    const pushed = (type: 'invite' | 'cancel') => fcm.recorder.waitForPush((push) => push.token === token && push.payload.type === type && push.payload.callId === callId);
    await pushed('invite');
    // Bob's desktop comes up on node two (which did not push the invite) and answers there.
    const desk = await connect(two, bob.accessToken, 'push-desk');
    expect(desk.all('session:ready')[0]?.pendingInvites.map((invite) => invite.callId)).toEqual([callId]);
    await desk.ok('call:accept', { callId });
    expect((await pushed('cancel')).payload).toMatchObject({ type: 'cancel', reason: 'answered-elsewhere' });
    await desk.ok('call:hangup', { callId });
  });

  it('an invite push still being retried on node one is called off once the callee answered on node two: no late invite after the cancel', async () => {
    const [one, two] = nodes as [TestServer, TestServer];
    const alice = await newUser(one.url, 'alice');
    const bob = await newUser(one.url, 'bob');
    const token = fcmToken();
    // The first invite attempt is refused with Retry-After: 2 s; the answer on node two comes within that wait.
    fcm.recorder.script(token, { kind: 'error', status: 503, retryAfter: '2' });
    await api(one.url, 'PUT', '/api/push/devices/dev-phone-0002', { platform: 'android-fcm', token }, bob.accessToken);
    const a = await connect(one, alice.accessToken, 'late-a');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    const pushesOf = (type: 'invite' | 'cancel') => fcm.recorder.pushesTo(token).filter((push) => push.payload.type === type && push.payload.callId === callId);
    await fcm.recorder.waitForPush((push) => push.token === token && push.payload.type === 'invite' && push.payload.callId === callId);
    const desk = await connect(two, bob.accessToken, 'late-desk');
    await desk.ok('call:accept', { callId });
    await fcm.recorder.waitForPush((push) => push.token === token && push.payload.type === 'cancel' && push.payload.callId === callId);
    // Node one's invite push ends once its retry was due (it asks the stored call first): as one refused attempt.
    const inviteOutcome = new RegExp(`"event":"push","kind":"invite","callId":"${callId}".*"status":"([\\w-]+)","attempts":(\\d+)`);
    await expect.poll(() => one.logs().match(inviteOutcome)?.slice(1), { timeout: 10_000, interval: 100 }).toEqual(['gave-up', '1']);
    expect(pushesOf('invite').map((push) => push.answer.kind)).toEqual(['error']);
    await desk.ok('call:hangup', { callId });
  });

  it('kill -9 of the node that armed the ring timer: another node ends the call no-answer after its deadline, with exactly one missed call', async () => {
    const [, two] = nodes as [TestServer, TestServer];
    const doomed = await startServer({ env: { ...env(), RING_TIMEOUT_MS: '1500' } });
    try {
      const alice = await newUser(doomed.url, 'alice');
      const bob = await newUser(doomed.url, 'bob');
      const a = await connect(doomed, alice.accessToken, 'sweep-a');
      await connect(doomed, bob.accessToken, 'sweep-b');
      const { callId, ringUntil } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
      await doomed.kill9();
      const rows = () => queryStore<{ status: string; outcome: string | null; ended_at: string | null }>(two, 'SELECT status, outcome, ended_at FROM calls WHERE id = ?', [callId]);
      await expect.poll(async () => (await rows())[0]?.status, { timeout: 15_000, interval: 250 }).toBe('ended');
      expect((await rows())[0]).toEqual({ status: 'ended', outcome: 'no-answer', ended_at: ringUntil });
      expect(await queryStore(two, 'SELECT call_id FROM missed_calls WHERE call_id = ?', [callId])).toEqual([{ call_id: callId }]);
      // Every surviving node sweeps; one of them ended it.
      expect(nodes.some((node) => node.logs().includes('"event":"deadline-swept"'))).toBe(true);
    } finally {
      await doomed.stop();
      removeDataDir(doomed);
    }
  });

  it('Postgres restarts mid-call: no node crashes, requests fail with STORAGE_UNAVAILABLE while it is down, and the call goes on after', async () => {
    const [one] = nodes as [TestServer];
    const alice = await newUser(one.url, 'alice');
    const bob = await newUser(one.url, 'bob');
    const carol = await newUser(one.url, 'carol');
    const a = await connect(one, alice.accessToken, 'pg-a');
    const b = await connect(one, bob.accessToken, 'pg-b');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await b.ok('call:accept', { callId });

    await postgres.kill9();
    const refused = await a.request('call:invite', { to: carol.user.username, media: 'audio' });
    expect(refused.ok ? 'ok' : refused.error).toMatchObject({ code: 'STORAGE_UNAVAILABLE', retryAfterMs: expect.any(Number) });
    // Signalling of the answered call needs no storage.
    expect(await a.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0' } })).toMatchObject({ delivered: true });
    await postgres.restart();

    // Back by itself: the call ends normally and a new call works, with exactly one missed call for carol.
    await expect.poll(async () => (await a.request('call:hangup', { callId, reason: 'hangup' })).ok, { timeout: 15_000, interval: 500 }).toBe(true);
    expect((await b.next('call:ended')).reason).toBe('hangup');
    const c = await connect(one, carol.accessToken, 'pg-c');
    const next = await a.ok('call:invite', { to: carol.user.username, media: 'audio' });
    await c.next('call:incoming');
    await a.ok('call:cancel', { callId: next.callId });
    await expect.poll(() => queryStore<{ call_id: string }>(one, 'SELECT call_id FROM missed_calls WHERE user_id = ?', [carol.user.userId])).toEqual([{ call_id: next.callId }]);
    for (const node of nodes) expect(node.exitCode()).toBeNull();
    expect(one.logs()).toContain('postgres-connection-error');
  });
});
