import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, phaseOf, stopAll, uniqueName, waitUntil, type TestClient } from '../support/clients';
import { removeDataDir, startServer, type TestServer } from '../support/server';
import { callRecordViolations } from './support/call-invariants';
import { readCalls } from './support/database';

/**
 * Fault injection: kill -9 of the server while calls ring and while a call is up, then a restart.
 * PhoneCore clients reconnect by themselves. Ringing calls ring on (their deadline is stored) and
 * answered calls resume; afterwards every stored record must be consistent, missed calls must reach
 * the callee exactly once, and the surviving calls must still work end to end.
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
  it('while calls ring: after the restart they still ring on every device with the same deadline, can be answered and declined; records stay consistent', async () => {
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

    // Every device comes back, and the calls still ring everywhere: nobody was told they ended.
    for (const c of clients) await c.waitFor('connection', (s) => s.status === 'online', { after: marks.get(c), timeoutMs: 20_000 });
    for (const device of [bobDesk, bobLaptop]) expect(phaseOf(device, toBob.callId)).toBe('incoming');
    expect(phaseOf(dave, toDave.callId)).toBe('incoming');
    expect(['calling', 'ringback']).toContain(phaseOf(alice, toBob.callId));
    expect(['calling', 'ringback']).toContain(phaseOf(carol, toDave.callId));
    for (const c of clients) expect(c.all('ended').filter(([call]) => call.callId === toBob.callId || call.callId === toDave.callId)).toEqual([]);
    expect(readCalls(server.dataDir).calls.filter((c) => c.status === 'ringing').map((c) => c.id).sort()).toEqual([toBob.callId, toDave.callId].sort());

    // They are answered and declined as if nothing had happened.
    await bobLaptop.core.answer(toBob.callId);
    await alice.waitFor('answered', (c) => c.callId === toBob.callId);
    await bobDesk.waitFor('ended', (c) => c.callId === toBob.callId && c.endReason === 'answered-elsewhere');
    await dave.core.decline(toDave.callId);
    await carol.waitFor('ended', (c) => c.callId === toDave.callId && c.endReason === 'declined');
    await alice.core.end(toBob.callId);
    await bobLaptop.waitFor('ended', (c) => c.callId === toBob.callId && c.endReason === 'hangup');

    const after = expectConsistent(server);
    expect(after.calls.find((c) => c.id === toBob.callId)).toMatchObject({ status: 'ended', outcome: 'answered', answered_device_id: 'bob-laptop-device' });
    expect(after.calls.find((c) => c.id === toDave.callId)).toMatchObject({ status: 'ended', outcome: 'declined' });
    expect(after.calls.find((c) => c.id === earlier.callId)).toEqual(before.calls.find((c) => c.id === earlier.callId));
    expect(after.missed).toEqual([]);
    expect((await bobDesk.history()).find((h) => h.callId === toBob.callId)).toMatchObject({ direction: 'incoming', outcome: 'answered', missed: false });

    // Acknowledged once, a missed call is never delivered again, not even after another kill -9. A second,
    // unacknowledged missed call is the sentinel: all unread ones arrive together at connect.
    const acknowledged = await alice.core.call(bobName, 'audio');
    await bobLaptop.waitFor('incoming', (c) => c.callId === acknowledged.callId);
    await alice.core.end(acknowledged.callId);
    const [firstMissed] = await bobDesk.waitFor('missed', (calls) => calls.some((m) => m.callId === acknowledged.callId));
    await bobDesk.core.acknowledgeMissed(firstMissed.filter((m) => m.callId === acknowledged.callId).map((m) => m.id));
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
