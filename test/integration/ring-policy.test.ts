import { describe, expect, it } from 'vitest';
import type { RingPolicy } from '../../shared/phone/api';
import { establishCall, phaseOf } from '../support/clients';
import { useServerWithClients } from '../support/suite';

const suite = useServerWithClients();
const client = (base: string, ringPolicy?: RingPolicy) => suite.client(base, { ringPolicy });
const policy = (p: Partial<RingPolicy>): RingPolicy => ({ dnd: 'off', blocklist: [], callWaiting: true, ...p });

describe('ring policy against the real server', () => {
  it('DND reject: no ring, the caller is told dnd, the callee gets a missed call', async () => {
    const alice = await client('alice');
    const bob = await client('bob', policy({ dnd: 'reject' }));
    const view = await alice.core.call(bob.user.username, 'audio');
    const [ended] = await alice.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('dnd');
    expect(bob.all('incoming')).toEqual([]);
    expect(bob.notifier.records.filter((r) => r.type === 'start')).toEqual([]);
    await bob.waitFor('missed', (calls) => calls.some((m) => m.callId === view.callId));
    const [entry] = (await bob.history()).filter((h) => h.callId === view.callId);
    expect(entry).toMatchObject({ direction: 'incoming', outcome: 'missed', endReason: 'dnd', missed: true });
  });

  it('DND silent: rings silently; the caller hears ringback; unanswered it is a missed call', async () => {
    const alice = await client('alice');
    const bob = await client('bob', policy({ dnd: 'silent' }));
    const view = await alice.core.call(bob.user.username, 'audio');
    const [incoming] = await bob.waitFor('incoming', (c) => c.callId === view.callId);
    expect(incoming.silent).toBe(true);
    expect(bob.notifier.ringing.get(view.callId)).toEqual({ silent: true, waiting: false });
    await alice.waitFor('ringback', (id) => id === view.callId);
    await alice.core.end(view.callId);
    await bob.waitFor('ended', (c) => c.callId === view.callId && c.endReason === 'cancelled');
    await bob.waitFor('missed', (calls) => calls.some((m) => m.callId === view.callId));
  });

  it('blocklist: rejected without ringing, the caller is told declined, the call is recorded, no missed call', async () => {
    const alice = await client('alice');
    const bob = await client('bob', policy({ blocklist: [] }));
    bob.core.setRingPolicy(policy({ blocklist: [alice.user.username] }));
    const view = await alice.core.call(bob.user.username, 'audio');
    const [ended] = await alice.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('declined');
    expect(bob.all('incoming')).toEqual([]);
    expect(bob.notifier.records.filter((r) => r.type === 'start')).toEqual([]);
    const [entry] = (await bob.history()).filter((h) => h.callId === view.callId);
    expect(entry).toMatchObject({ outcome: 'declined', missed: false });
    expect(bob.core.snapshot().missedCalls.map((m) => m.callId)).not.toContain(view.callId);
  });

  it('call waiting on: a second call rings with the waiting mark during a call and can be answered', async () => {
    const alice = await client('alice');
    const bob = await client('bob', policy({ callWaiting: true }));
    const carol = await client('carol');
    const first = await establishCall(alice, bob);
    const second = await carol.core.call(bob.user.username, 'audio');
    const [incoming] = await bob.waitFor('incoming', (c) => c.callId === second.callId);
    expect(incoming.waiting).toBe(true);
    expect(bob.notifier.ringing.get(second.callId)).toEqual({ silent: false, waiting: true });
    await carol.waitFor('ringback', (id) => id === second.callId);
    await bob.core.end(first);
    await bob.core.answer(second.callId);
    await carol.waitFor('answered', (c) => c.callId === second.callId);
    expect(phaseOf(bob, second.callId)).toBe('active');
  });

  it('call waiting off: a second call during a call is answered busy without ringing', async () => {
    const alice = await client('alice');
    const bob = await client('bob', policy({ callWaiting: false }));
    const carol = await client('carol');
    const first = await establishCall(alice, bob);
    const second = await carol.core.call(bob.user.username, 'audio');
    const [ended] = await carol.waitFor('ended', (c) => c.callId === second.callId);
    expect(ended.endReason).toBe('busy');
    expect(bob.all('incoming').map(([c]) => c.callId)).toEqual([first]);
    expect(bob.notifier.ringing.has(second.callId)).toBe(false);
    expect(phaseOf(bob, first)).toBe('active');
    const [entry] = (await carol.history()).filter((h) => h.callId === second.callId);
    expect(entry).toMatchObject({ direction: 'outgoing', outcome: 'busy' });
  });
});
