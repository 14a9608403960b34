import { describe, expect, it } from 'vitest';
import { establishCall, phaseOf, waitOnline, waitUntil } from '../support/clients';
import type { TestClient } from '../support/clients';
import { useServerWithClients } from '../support/suite';

// A long shutdown delay: clients must not come back on their own after a SIGTERM unless checkConnection() asks.
const suite = useServerWithClients({ CALL_RESUME_GRACE_MS: '20000', SHUTDOWN_RECONNECT_MS: '60000' });
const client = suite.client;

async function expectRelayWorks(a: TestClient, b: TestClient, callId: string, tag: string) {
  await a.core.sendSignal(callId, { type: 'offer', sdp: `v=0 ${tag}-a` });
  await b.waitFor('signal', (id, data) => id === callId && 'sdp' in data && data.sdp === `v=0 ${tag}-a`);
  await b.core.sendSignal(callId, { type: 'answer', sdp: `v=0 ${tag}-b` });
  await a.waitFor('signal', (id, data) => id === callId && 'sdp' in data && data.sdp === `v=0 ${tag}-b`);
}

describe('the signalling connection drops and comes back', () => {
  it("a client's connection drops mid-call: the call stays active on both sides and the relay resumes", async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const callId = await establishCall(alice, bob);
    const aliceMark = alice.mark();
    const bobMark = bob.mark();

    bob.transport.dropConnection();
    await bob.waitFor('connection', (s) => s.status === 'reconnecting', { after: bobMark });
    await alice.waitFor('snapshot', (s) => s.calls.some((c) => c.callId === callId && !c.peerConnected), { after: aliceMark });
    await waitOnline(bob, bobMark);
    await alice.waitFor('snapshot', (s) => s.calls.some((c) => c.callId === callId && c.peerConnected), { after: aliceMark });

    expect(phaseOf(alice, callId)).toBe('active');
    expect(phaseOf(bob, callId)).toBe('active');
    expect(bob.all('ended')).toEqual([]);
    expect(alice.all('ended')).toEqual([]);
    await expectRelayWorks(alice, bob, callId, 'after-drop');
    await alice.core.end(callId);
    await bob.waitFor('ended', (c) => c.callId === callId && c.endReason === 'hangup');
  });

  it('kill -9 of the server mid-call, then restart: both sides resume the call, and signals flow again', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const callId = await establishCall(alice, bob);
    // Signals before the restart: the restarted server numbers its relayed signals afresh, and a phone
    // must not take the new numbers for resends of ones it already has.
    await expectRelayWorks(alice, bob, callId, 'before-restart');
    const marks = [alice.mark(), bob.mark()] as const;

    await suite.server.kill9();
    await waitUntil(() => alice.core.snapshot().connection.status !== 'online' && bob.core.snapshot().connection.status !== 'online', 'both notice');
    await suite.server.restart();
    await waitOnline(alice, marks[0], 20_000);
    await waitOnline(bob, marks[1], 20_000);

    expect(phaseOf(alice, callId)).toBe('active');
    expect(phaseOf(bob, callId)).toBe('active');
    await expectRelayWorks(alice, bob, callId, 'after-restart');
    await bob.core.end(callId);
    await alice.waitFor('ended', (c) => c.callId === callId && c.endReason === 'hangup');
  });

  it('checkConnection() brings a client back at once after the server restarts', async () => {
    // socket.io would wait ~20 s between attempts; only checkConnection() can make this quick.
    const alice = await client('alice', { reconnectionDelay: 20_000, reconnectionDelayMax: 20_000 });
    const mark = alice.mark();
    await suite.server.stop(); // SIGTERM: session:shutdown says "come back in 60 s"
    await alice.waitFor('connection', (s) => s.status === 'reconnecting', { after: mark });
    await suite.server.restart();
    const state = await alice.core.checkConnection();
    expect(state.status).toBe('online');
    expect(alice.core.snapshot().user?.userId).toBe(alice.user.userId);

    const mark2 = alice.mark();
    await suite.server.kill9();
    await alice.waitFor('connection', (s) => s.status === 'reconnecting', { after: mark2 });
    await suite.server.restart();
    expect((await alice.core.checkConnection()).status).toBe('online');
  });

  it('checkConnection() on a healthy connection pings and stays online', async () => {
    const alice = await client('alice');
    const mark = alice.mark();
    expect(await alice.core.checkConnection()).toMatchObject({ status: 'online', reason: null });
    expect(alice.events.slice(mark).filter((e) => e.event === 'connection')).toEqual([]);
  });
});
