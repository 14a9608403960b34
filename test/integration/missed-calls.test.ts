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

  it('kill -9 while a call rings, then restart: the missed call survives and is delivered', async () => {
    const alice = await client(uniqueName('alice'));
    const bobName = uniqueName('bob');
    const bob = await client(bobName);
    const view = await alice.core.call(bobName, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === view.callId);

    await suite.server.kill9();
    await waitUntil(() => bob.core.snapshot().connection.status !== 'online', 'bob notices the server is gone');
    const bobMark = bob.mark();
    await suite.server.restart();

    const [delivered] = await bob.waitFor('missed', (calls) => calls.some((m) => m.callId === view.callId), { after: bobMark, timeoutMs: 20_000 });
    expect(delivered.find((m) => m.callId === view.callId)).toMatchObject({ from: { userId: alice.user.userId }, reason: 'server-restart' });
    // Neither side keeps a ringing call the server no longer has.
    await waitUntil(() => bob.core.snapshot().calls.length === 0, 'bob drops the stale ring');
    await waitUntil(() => alice.core.snapshot().calls.length === 0, 'alice drops the stale call');
    expect(bob.notifier.ringing.size).toBe(0);
    // The clients cannot tell a restart from a lost connection (session:ready just no longer lists the call);
    // the record and the missed call carry the server's reason.
    expect(alice.all('ended').find(([c]) => c.callId === view.callId)?.[0].endReason).toBe('connection-lost');
    expect(bob.all('ended').find(([c]) => c.callId === view.callId)?.[0].endReason).toBe('connection-lost');
    const history = await alice.history();
    expect(history.find((h) => h.callId === view.callId)).toMatchObject({ outcome: 'failed', endReason: 'server-restart', direction: 'outgoing' });
    expect((await bob.history()).find((h) => h.callId === view.callId)).toMatchObject({ outcome: 'failed', endReason: 'server-restart', missed: true });
  });
});
