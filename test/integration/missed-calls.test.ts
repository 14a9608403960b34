import { describe, expect, it } from 'vitest';
import { uniqueName, waitUntil } from '../support/clients';
import { useServerWithClients } from '../support/suite';

const RING_TIMEOUT_MS = 1_500;
const suite = useServerWithClients({ RING_TIMEOUT_MS: String(RING_TIMEOUT_MS) });
const client = suite.named;

describe('no-answer and missed calls', () => {
  it('no-answer: the server ring timer ends the call for both sides and records a missed call', async () => {
    const alice = await client(uniqueName('alice'));
    const bob = await client(uniqueName('bob'));
    const view = await alice.core.call(bob.user.username, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === view.callId);
    const [ended] = await alice.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('no-answer');
    await bob.waitFor('ended', (c) => c.callId === view.callId && c.endReason === 'no-answer');
    expect(bob.notifier.stops(view.callId)).toEqual(['no-answer']);
    const [missed] = await bob.waitFor('missed', (calls) => calls.some((m) => m.callId === view.callId));
    expect(missed.find((m) => m.callId === view.callId)).toMatchObject({ from: { userId: alice.user.userId }, reason: 'no-answer', media: 'audio' });
  });

  it('a missed call is delivered at the next login, and only until it is acknowledged', async () => {
    const alice = await client(uniqueName('alice'));
    const bobName = uniqueName('bob');
    const bob = await client(bobName);
    await bob.stop();
    const view = await alice.core.call(bobName, 'video');
    expect(view.endReason).toBe('unavailable');

    const bobAgain = await client(bobName, { register: false });
    const [delivered] = await bobAgain.waitFor('missed', (calls) => calls.some((m) => m.callId === view.callId));
    const missed = delivered.find((m) => m.callId === view.callId)!;
    expect(missed).toMatchObject({ from: { userId: alice.user.userId, username: alice.user.username }, media: 'video', reason: 'unavailable' });
    expect(bobAgain.notifier.missed.map((m) => m.id)).toContain(missed.id);
    await bobAgain.core.acknowledgeMissed([missed.id]);
    expect(bobAgain.core.snapshot().missedCalls).toEqual([]);
    await bobAgain.stop();

    const bobThird = await client(bobName, { register: false });
    // session:ready and any missed:calls arrive together; a reconnect round-trip proves nothing more is coming.
    expect(await bobThird.core.checkConnection()).toMatchObject({ status: 'online' });
    expect(bobThird.all('missed').flat(2).map((m) => m.id)).not.toContain(missed.id);
    expect(bobThird.core.snapshot().missedCalls).toEqual([]);
  });

  it('kill -9 while a call rings: both phones stop ringing at the deadline by themselves; after the restart it is one no-answer missed call', async () => {
    const alice = await client(uniqueName('alice'));
    const bobName = uniqueName('bob');
    const bob = await client(bobName);
    const view = await alice.core.call(bobName, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === view.callId);

    await suite.server.kill9();
    await waitUntil(() => bob.core.snapshot().connection.status !== 'online', 'bob notices the server is gone');
    const marks = { alice: alice.mark(), bob: bob.mark() };
    // No server to say so: each phone ends the ring at ringUntil on its own clock (corrected by the server-time offset).
    const [aliceEnded] = await alice.waitFor('ended', (c) => c.callId === view.callId, { after: marks.alice, timeoutMs: RING_TIMEOUT_MS + 5_000 });
    const [bobEnded] = await bob.waitFor('ended', (c) => c.callId === view.callId, { after: marks.bob, timeoutMs: RING_TIMEOUT_MS + 5_000 });
    expect([aliceEnded.endReason, bobEnded.endReason]).toEqual(['no-answer', 'no-answer']);
    expect(bob.notifier.stops(view.callId)).toEqual(['no-answer']);
    expect(bob.notifier.ringing.size).toBe(0);
    expect([alice, bob].map((c) => c.core.snapshot().connection.status)).not.toContain('online');

    await suite.server.restart();
    const [delivered] = await bob.waitFor('missed', (calls) => calls.some((m) => m.callId === view.callId), { after: marks.bob, timeoutMs: 20_000 });
    expect(delivered.filter((m) => m.callId === view.callId)).toMatchObject([{ from: { userId: alice.user.userId }, reason: 'no-answer' }]);
    expect((await alice.history()).find((h) => h.callId === view.callId)).toMatchObject({ outcome: 'no-answer', endReason: 'no-answer', direction: 'outgoing' });
    expect((await bob.history()).find((h) => h.callId === view.callId)).toMatchObject({ outcome: 'no-answer', endReason: 'no-answer', missed: true });
    expect(bob.core.snapshot().calls).toEqual([]);
    expect(alice.core.snapshot().calls).toEqual([]);
  });
});
