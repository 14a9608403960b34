import { describe, expect, it } from 'vitest';
import { establishCall } from '../support/clients';
import { useServerWithClients } from '../support/suite';

const suite = useServerWithClients();
const client = suite.client;

describe('call records and GET /api/history', () => {
  it('match what happened, from each side, newest first', async () => {
    const alice = await client('alice');
    const bob = await client('bob');

    const answered = await establishCall(alice, bob, 'video');
    await new Promise((r) => setTimeout(r, 50)); // some talk time
    await bob.core.end(answered);
    await alice.waitFor('ended', (c) => c.callId === answered);

    const declined = await alice.core.call(bob.user.username, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === declined.callId);
    await bob.core.decline(declined.callId);
    await alice.waitFor('ended', (c) => c.callId === declined.callId);

    const cancelled = await alice.core.call(bob.user.username, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === cancelled.callId);
    await alice.core.end(cancelled.callId);
    await bob.waitFor('ended', (c) => c.callId === cancelled.callId);

    const aliceHistory = await alice.history();
    expect(aliceHistory.map((h) => h.callId)).toEqual([cancelled.callId, declined.callId, answered]);
    const [c, d, a] = aliceHistory;
    expect(a).toMatchObject({ direction: 'outgoing', media: 'video', outcome: 'answered', endReason: 'hangup', missed: false, peer: { userId: bob.user.userId } });
    expect(a!.talkMs).toBeGreaterThan(0);
    expect(a!.answeredAt).not.toBeNull();
    expect(d).toMatchObject({ direction: 'outgoing', outcome: 'declined', endReason: 'declined', answeredAt: null, talkMs: null });
    expect(c).toMatchObject({ direction: 'outgoing', outcome: 'cancelled', endReason: 'cancelled' });

    const bobHistory = await bob.history();
    expect(bobHistory.map((h) => [h.callId, h.direction, h.outcome, h.missed])).toEqual([
      [cancelled.callId, 'incoming', 'cancelled', true],
      [declined.callId, 'incoming', 'declined', false],
      [answered, 'incoming', 'answered', false],
    ]);
    expect(bobHistory.every((h) => h.peer.userId === alice.user.userId)).toBe(true);

    const missedOnly = await bob.history({ missedOnly: 'true' });
    expect(missedOnly.map((h) => h.callId)).toEqual([cancelled.callId]);
    const page = await alice.history({ limit: '2' });
    expect(page.map((h) => h.callId)).toEqual([cancelled.callId, declined.callId]);
  });

  it("a third user's history does not show other people's calls", async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const carol = await client('carol');
    const callId = await establishCall(alice, bob);
    await alice.core.end(callId);
    await bob.waitFor('ended', (c) => c.callId === callId);
    expect(await carol.history()).toEqual([]);
  });
});
