import { describe, expect, it } from 'vitest';
import { establishCall, phaseOf, uniqueName, waitUntil } from '../support/clients';
import { useServerWithClients } from '../support/suite';

const suite = useServerWithClients();
const client = suite.client;

describe('1:1 call flows between real PhoneCore clients', () => {
  it('answers a call and relays signals both ways, then both sides end with hangup', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const view = await alice.core.call(bob.user.username, 'video');
    expect(view).toMatchObject({ direction: 'outgoing', peer: { username: bob.user.username, userId: bob.user.userId } });
    expect(['calling', 'ringback']).toContain(view.phase); // bob's ringing may already have arrived

    const [incoming] = await bob.waitFor('incoming', (c) => c.callId === view.callId);
    expect(incoming).toMatchObject({ media: 'video', peer: { userId: alice.user.userId, username: alice.user.username } });
    await alice.waitFor('ringback', (id) => id === view.callId);
    await bob.core.answer(view.callId);
    const [, initiator] = await alice.waitFor('answered', (c) => c.callId === view.callId);
    expect(initiator).toBe(true);
    expect(bob.all('answered')[0]?.[1]).toBe(false);

    await alice.core.sendSignal(view.callId, { type: 'offer', sdp: 'v=0 from-alice' });
    const [, offer] = await bob.waitFor('signal', (id) => id === view.callId);
    expect(offer).toEqual({ type: 'offer', sdp: 'v=0 from-alice' });
    const candidate = { type: 'candidate' as const, candidate: { candidate: 'candidate:1 1 udp 2122260223 10.0.0.2 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
    await bob.core.sendSignal(view.callId, candidate);
    const [, received] = await alice.waitFor('signal', (id) => id === view.callId);
    expect(received).toEqual(candidate);

    await alice.core.hold(view.callId, true);
    await bob.waitFor('snapshot', (s) => s.calls.some((c) => c.callId === view.callId && c.remoteHeld));
    expect(alice.core.snapshot().calls[0]).toMatchObject({ held: true, remoteHeld: false });

    await bob.core.end(view.callId);
    const [ended] = await alice.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('hangup');
    expect(bob.all('ended').map(([c]) => c.endReason)).toEqual(['hangup']);
    expect(phaseOf(alice, view.callId)).toBe('gone');
  });

  it('declined: the caller is told declined and the callee stops ringing', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const view = await alice.core.call(bob.user.username, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === view.callId);
    await bob.core.decline(view.callId);
    const [ended] = await alice.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('declined');
    expect(bob.notifier.stops(view.callId)).toEqual(['declined']);
  });

  it('cancelled: the caller gives up and the callee stops ringing with cancelled', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    const view = await alice.core.call(bob.user.username, 'audio');
    await bob.waitFor('incoming', (c) => c.callId === view.callId);
    await alice.core.end(view.callId);
    await bob.waitFor('ended', (c) => c.callId === view.callId && c.endReason === 'cancelled');
    expect(bob.notifier.stops(view.callId)).toEqual(['cancelled']);
    expect(bob.notifier.ringing.size).toBe(0);
    expect(alice.all('ended').find(([c]) => c.callId === view.callId)?.[0].endReason).toBe('cancelled');
  });

  it('busy: a callee in a call with call waiting off answers busy', async () => {
    const alice = await client('alice');
    const bob = await client('bob', { ringPolicy: { dnd: 'off', blocklist: [], callWaiting: false } });
    const carol = await client('carol');
    const first = await establishCall(carol, bob);
    const view = await alice.core.call(bob.user.username, 'audio');
    const [ended] = await alice.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('busy');
    expect(bob.all('incoming').map(([c]) => c.callId)).not.toContain(view.callId);
    expect(phaseOf(bob, first)).toBe('active');
    expect(phaseOf(carol, first)).toBe('active');
  });

  it('unavailable: the callee has no device online; the caller learns it at once', async () => {
    const alice = await client('alice');
    const bob = await client('bob');
    await bob.stop();
    await waitUntil(() => bob.core.snapshot().connection.status === 'offline', 'bob offline');
    const view = await alice.core.call(bob.user.username, 'audio');
    expect(view).toMatchObject({ phase: 'ended', endReason: 'unavailable' });
  });

  it('refuses a call to a user that does not exist with USER_NOT_FOUND', async () => {
    const alice = await client('alice');
    await expect(alice.core.call(uniqueName('nobody'), 'audio')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
    expect(alice.core.snapshot().calls).toEqual([]);
  });
});
