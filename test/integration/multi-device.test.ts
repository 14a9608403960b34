import { describe, expect, it } from 'vitest';
import { phaseOf, uniqueName } from '../support/clients';
import { useServerWithClients } from '../support/suite';

const suite = useServerWithClients();
const client = suite.named;

describe('one user, several devices', () => {
  it('both devices ring; one answers; the other is told answered-elsewhere and its ring surfaces stop', async () => {
    const alice = await client(uniqueName('alice'));
    const bobName = uniqueName('bob');
    const desk = await client(bobName, { deviceId: 'bob-desk-device' });
    const laptop = await client(bobName, { register: false, deviceId: 'bob-laptop-device' });

    const view = await alice.core.call(bobName, 'audio');
    expect(view.peer.userId).toBe(desk.user.userId);
    await desk.waitFor('incoming', (c) => c.callId === view.callId);
    await laptop.waitFor('incoming', (c) => c.callId === view.callId);
    expect(laptop.notifier.ringing.has(view.callId)).toBe(true);

    await desk.core.answer(view.callId);
    const [ended] = await laptop.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('answered-elsewhere');
    expect(laptop.notifier.stops(view.callId)).toEqual(['answered-elsewhere']);
    expect(laptop.notifier.ringing.size).toBe(0);
    expect(desk.notifier.stops(view.callId)).toEqual(['answered']);

    await alice.waitFor('answered', (c) => c.callId === view.callId);
    expect(phaseOf(desk, view.callId)).toBe('active');
    expect(phaseOf(laptop, view.callId)).toBe('gone');

    // The losing device cannot take the call any more.
    await expect(laptop.core.answer(view.callId)).rejects.toMatchObject({ code: 'CALL_NOT_FOUND' });
    // Signalling runs between the caller's device and the answering device only.
    await alice.core.sendSignal(view.callId, { type: 'offer', sdp: 'v=0 to-desk' });
    await desk.waitFor('signal', (id, data) => id === view.callId && 'sdp' in data && data.sdp === 'v=0 to-desk');
    expect(laptop.all('signal')).toEqual([]);
    await alice.core.end(view.callId);
    await desk.waitFor('ended', (c) => c.callId === view.callId && c.endReason === 'hangup');
  });

  it('two devices race to answer: exactly one wins', async () => {
    const alice = await client(uniqueName('alice'));
    const bobName = uniqueName('bob');
    const one = await client(bobName, { deviceId: 'bob-race-one' });
    const two = await client(bobName, { register: false, deviceId: 'bob-race-two' });
    const view = await alice.core.call(bobName, 'audio');
    await one.waitFor('incoming', (c) => c.callId === view.callId);
    await two.waitFor('incoming', (c) => c.callId === view.callId);
    const results = await Promise.allSettled([one.core.answer(view.callId), two.core.answer(view.callId)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results[0].status === 'fulfilled' ? two : one;
    const [ended] = await loser.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('answered-elsewhere');
    await alice.waitFor('answered', (c) => c.callId === view.callId);
  });

  it('every device declines: the caller is told declined only after the last one', async () => {
    const alice = await client(uniqueName('alice'));
    const bobName = uniqueName('bob');
    const desk = await client(bobName, { deviceId: 'bob-desk-decline' });
    const laptop = await client(bobName, { register: false, deviceId: 'bob-laptop-decline' });
    const view = await alice.core.call(bobName, 'audio');
    await desk.waitFor('incoming', (c) => c.callId === view.callId);
    await laptop.waitFor('incoming', (c) => c.callId === view.callId);

    await desk.core.decline(view.callId);
    // The call still rings on the laptop and the caller still waits: a round trip on each proves it.
    await alice.core.checkConnection();
    await laptop.core.checkConnection();
    expect(phaseOf(alice, view.callId)).toBe('ringback');
    expect(phaseOf(laptop, view.callId)).toBe('incoming');

    await laptop.core.decline(view.callId);
    const [ended] = await alice.waitFor('ended', (c) => c.callId === view.callId);
    expect(ended.endReason).toBe('declined');
    expect(desk.notifier.stops(view.callId)).toEqual(['declined']);
    expect(laptop.notifier.stops(view.callId)).toEqual(['declined']);
  });

  it('a device that comes online while a call rings gets it from session:ready and can answer it', async () => {
    const alice = await client(uniqueName('alice'));
    const bobName = uniqueName('bob');
    const desk = await client(bobName, { deviceId: 'bob-desk-late' });
    const view = await alice.core.call(bobName, 'audio');
    await desk.waitFor('incoming', (c) => c.callId === view.callId);

    const laptop = await client(bobName, { register: false, deviceId: 'bob-laptop-late' });
    const [incoming] = await laptop.waitFor('incoming', (c) => c.callId === view.callId);
    expect(incoming.peer.userId).toBe(alice.user.userId);
    await laptop.core.answer(view.callId);
    await alice.waitFor('answered', (c) => c.callId === view.callId);
    await desk.waitFor('ended', (c) => c.callId === view.callId && c.endReason === 'answered-elsewhere');
  });
});
