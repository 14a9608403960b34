import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, phaseOf, stopAll, uniqueName, waitUntil, type TestClient } from '../support/clients';
import { removeDataDir, startServer, type TestServer } from '../support/server';
import { callRecordViolations } from './support/call-invariants';
import { readCalls } from './support/database';

/**
 * Fault injection: kill -9 of the server while calls ring and while a call is up, then a restart.
 * PhoneCore clients reconnect by themselves. Afterwards every stored record must be consistent, missed
 * calls must reach the callee, and the surviving call must still work end to end.
 */

const servers: TestServer[] = [];
const clients: TestClient[] = [];

afterEach(async () => {
  await stopAll(...clients.splice(0));
  for (const server of servers.splice(0)) {
    await server.stop();
    removeDataDir(server);
  }
});

async function start(): Promise<TestServer> {
  const server = await startServer({ env: { CALL_RESUME_GRACE_MS: '30000' } });
  servers.push(server);
  return server;
}

async function client(server: TestServer, name: string, options: Parameters<typeof connectClient>[2] = {}): Promise<TestClient> {
  const c = await connectClient(server.url, name, options);
  clients.push(c);
  return c;
}

function expectConsistent(server: TestServer): ReturnType<typeof readCalls> {
  const rows = readCalls(server.dataDir);
  expect(callRecordViolations(rows.calls, rows.missed)).toEqual([]);
  return rows;
}

describe('kill -9 and restart', () => {
  it('while calls ring: the calls end as server-restart, every callee device gets the missed call, records stay consistent', async () => {
    const server = await start();
    const alice = await client(server, uniqueName('alice'));
    const bobName = uniqueName('bob');
    const bobDesk = await client(server, bobName, { deviceId: 'bob-desk-device' });
    const bobLaptop = await client(server, bobName, { register: false, deviceId: 'bob-laptop-device' });
    const carol = await client(server, uniqueName('carol'));
    const dave = await client(server, uniqueName('dave'));

    // An earlier, finished call, so there is history that must survive untouched.
    const earlier = await carol.core.call(dave.user.username, 'audio');
    await dave.waitFor('incoming', (c) => c.callId === earlier.callId);
    await dave.core.decline(earlier.callId);
    await carol.waitFor('ended', (c) => c.callId === earlier.callId);

    const toBob = await alice.core.call(bobName, 'video');
    const toDave = await carol.core.call(dave.user.username, 'audio');
    await Promise.all([
      bobDesk.waitFor('incoming', (c) => c.callId === toBob.callId),
      bobLaptop.waitFor('incoming', (c) => c.callId === toBob.callId),
      dave.waitFor('incoming', (c) => c.callId === toDave.callId),
    ]);
    const before = readCalls(server.dataDir);
    expect(before.calls.filter((c) => c.status === 'ringing').map((c) => c.id).sort()).toEqual([toBob.callId, toDave.callId].sort());

    const marks = new Map(clients.map((c) => [c, c.mark()]));
    await server.kill9();
    await server.restart();

    // Every device comes back, the ringing calls are over on every side, and the callees get their missed calls.
    for (const c of clients) await c.waitFor('connection', (s) => s.status === 'online', { after: marks.get(c), timeoutMs: 20_000 });
    for (const [c, callId] of [
      [alice, toBob.callId],
      [bobDesk, toBob.callId],
      [bobLaptop, toBob.callId],
      [carol, toDave.callId],
      [dave, toDave.callId],
    ] as const) {
      await waitUntil(() => phaseOf(c, callId) === 'gone', `${c.user.username} to drop ${callId}`, 15_000);
    }
    for (const device of [bobDesk, bobLaptop]) {
      await device.waitFor('missed', (calls) => calls.some((m) => m.callId === toBob.callId && m.reason === 'server-restart'), { after: marks.get(device) });
    }
    await dave.waitFor('missed', (calls) => calls.some((m) => m.callId === toDave.callId && m.reason === 'server-restart'), { after: marks.get(dave) });
    for (const device of [bobDesk, bobLaptop, dave]) expect([...device.notifier.ringing.keys()]).toEqual([]);

    const after = expectConsistent(server);
    for (const callId of [toBob.callId, toDave.callId]) {
      expect(after.calls.find((c) => c.id === callId)).toMatchObject({ status: 'ended', outcome: 'failed', end_reason: 'server-restart' });
    }
    expect(after.calls.find((c) => c.id === earlier.callId)).toEqual(before.calls.find((c) => c.id === earlier.callId));
    expect(after.missed.map((m) => m.call_id).sort()).toEqual([toBob.callId, toDave.callId].sort());

    // The history API tells each side the same story as the table.
    const bobHistory = await bobDesk.history();
    expect(bobHistory.find((h) => h.callId === toBob.callId)).toMatchObject({ direction: 'incoming', outcome: 'failed', endReason: 'server-restart', missed: true });
    const aliceHistory = await alice.history();
    expect(aliceHistory.find((h) => h.callId === toBob.callId)).toMatchObject({ direction: 'outgoing', outcome: 'failed', missed: false });

    // Acknowledged once, a missed call is never delivered again, not even after another kill -9. A second,
    // unacknowledged missed call (cancelled) is the sentinel: all unread ones arrive together at connect.
    await bobDesk.core.acknowledgeMissed([after.missed.find((m) => m.call_id === toBob.callId)?.id ?? '']);
    const sentinel = await alice.core.call(bobName, 'audio');
    await bobLaptop.waitFor('incoming', (c) => c.callId === sentinel.callId);
    await alice.core.end(sentinel.callId);
    await bobLaptop.waitFor('missed', (calls) => calls.some((m) => m.callId === sentinel.callId));
    // PhoneCore reports each missed call once; its notifier sees the full unread list the server sends at connect.
    const recordMark = bobLaptop.notifier.records.length;
    await server.kill9();
    await server.restart();
    const delivered = () => bobLaptop.notifier.records.slice(recordMark).some((r) => r.type === 'missed' && r.calls.some((m) => m.callId === sentinel.callId));
    await waitUntil(delivered, 'the unread missed calls delivered again after the second restart', 20_000);
    expect(bobLaptop.notifier.missed.map((m) => m.callId)).toEqual([sentinel.callId]);
    expectConsistent(server);
  });

  it('during a call: the call survives the restart, signalling works again, and it ends cleanly with a consistent record', async () => {
    const server = await start();
    const alice = await client(server, uniqueName('alice'));
    const bob = await client(server, uniqueName('bob'));
    const view = await alice.core.call(bob.user.username, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === view.callId);
    await bob.core.answer(view.callId);
    await Promise.all([alice.waitFor('answered', (c) => c.callId === view.callId), bob.waitFor('answered', (c) => c.callId === view.callId)]);
    expect(readCalls(server.dataDir).calls.find((c) => c.id === view.callId)).toMatchObject({ status: 'active' });

    const marks = new Map(clients.map((c) => [c, c.mark()]));
    await server.kill9();
    await server.restart();
    for (const c of clients) await c.waitFor('connection', (s) => s.status === 'online', { after: marks.get(c), timeoutMs: 20_000 });

    // Still active on both sides, with the peer's signalling connected again.
    await waitUntil(() => [alice, bob].every((c) => c.core.snapshot().calls.some((k) => k.callId === view.callId && k.phase === 'active' && k.peerConnected)), 'the call active on both sides', 15_000);
    expectConsistent(server);
    expect(readCalls(server.dataDir).calls.find((c) => c.id === view.callId)).toMatchObject({ status: 'active', outcome: null });

    // The relay works in both directions (an ICE restart would use it now).
    await alice.core.sendSignal(view.callId, { renegotiate: true });
    await bob.waitFor('signal', (callId, data) => callId === view.callId && 'renegotiate' in data, { after: marks.get(bob) });
    await bob.core.sendSignal(view.callId, { type: 'answer', sdp: 'v=0 after-restart' });
    await alice.waitFor('signal', (callId, data) => callId === view.callId && 'sdp' in data && data.sdp === 'v=0 after-restart', { after: marks.get(alice) });

    await alice.core.end(view.callId);
    await Promise.all([
      alice.waitFor('ended', (c) => c.callId === view.callId && c.endReason === 'hangup'),
      bob.waitFor('ended', (c) => c.callId === view.callId && c.endReason === 'hangup'),
    ]);
    const rows = expectConsistent(server);
    expect(rows.calls.find((c) => c.id === view.callId)).toMatchObject({ status: 'ended', outcome: 'answered', end_reason: 'hangup', ended_by: alice.user.userId });
    expect(rows.missed).toEqual([]);
    expect((await bob.history()).find((h) => h.callId === view.callId)).toMatchObject({ outcome: 'answered', endReason: 'hangup', missed: false });
  });
});
