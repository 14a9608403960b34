import { describe, expect, it } from 'vitest';
import { BOB, CALL_ID, QUEUE_2, QUEUE_3, SUPPORT, incomingCall } from '../testing/fixtures';
import { RING_UNTIL, flush, phoneHarness, record } from '../testing/phone-harness';

/** PhoneCore and service lines (issue 14): the caller's queue, the agent's offer. */

const LINE_CALLEE = { userId: SUPPORT.lineId, username: SUPPORT.name, displayName: SUPPORT.displayName };
const queuedAck = () => ({ ok: true, callId: CALL_ID, status: 'queued', devices: 0, callee: LINE_CALLEE, ringUntil: RING_UNTIL, line: SUPPORT, queue: QUEUE_3 });
const queuedCall = (queue = QUEUE_2) => ({ callId: CALL_ID, line: SUPPORT, media: 'audio' as const, enqueuedAt: queue.at, giveUpAt: RING_UNTIL, queue, ringUntil: RING_UNTIL });

describe('PhoneCore: calling a service line', () => {
  it('waits in line with its place and estimate, follows line:queue-status, and is answered by an agent without ringback', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => queuedAck());
    const ringback = record<[string]>();
    h.core.on('ringback', ringback.listener);
    const view = await h.core.call('support', 'audio');
    expect(view).toMatchObject({ phase: 'calling', peer: LINE_CALLEE, line: SUPPORT, queue: QUEUE_3 });

    h.transport.push('line:queue-status', { callId: CALL_ID, queue: QUEUE_2 });
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'calling', queue: QUEUE_2 });

    h.transport.push('call:ringing', { callId: CALL_ID, deviceId: 'device-bob-1', silent: false });
    h.transport.push('call:accepted', { callId: CALL_ID, by: BOB, deviceId: 'device-bob-1' });
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'active', peer: BOB, queue: null, line: SUPPORT });
    expect(ringback.seen).toEqual([]);
  });

  it('leaving the queue is a cancel', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => queuedAck());
    await h.core.call('support', 'audio');
    await h.core.end(CALL_ID);
    expect(h.transport.sent('call:cancel')).toEqual([{ callId: CALL_ID }]);
    expect(h.core.snapshot().calls).toEqual([]);
  });

  it('after a reconnect a call still queued keeps waiting with the server place; one the server dropped ends', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => queuedAck());
    await h.core.call('support', 'audio');
    h.reconnect({ queuedCalls: [queuedCall()] });
    await flush();
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'calling', queue: QUEUE_2 });

    h.reconnect({ queuedCalls: [] });
    await flush();
    expect(h.core.snapshot().calls).toEqual([]);
  });

  it('a queued call of this device that this device does not know (a reloaded page) waits here again at its place, and an agent answers it', async () => {
    const h = phoneHarness();
    h.online({ queuedCalls: [queuedCall()] });
    await flush();
    expect(h.transport.sent('call:cancel')).toEqual([]);
    expect(h.core.snapshot().calls).toMatchObject([{ callId: CALL_ID, phase: 'calling', direction: 'outgoing', peer: LINE_CALLEE, line: SUPPORT, queue: QUEUE_2 }]);
    h.transport.push('line:queue-status', { callId: CALL_ID, queue: { ...QUEUE_2, position: 1 } });
    expect(h.core.snapshot().calls[0]).toMatchObject({ queue: { position: 1 } });
    h.transport.push('call:accepted', { callId: CALL_ID, by: BOB, deviceId: 'device-bob-1' });
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'active', peer: BOB, queue: null });
  });

  it('stop({ keepResumable }) (a page going away) leaves a queued call to the server, which keeps its place; a plain stop leaves the queue', async () => {
    const kept = phoneHarness();
    kept.online();
    kept.transport.respond('call:invite', () => queuedAck());
    await kept.core.call('support', 'audio');
    await kept.core.stop({ keepResumable: true });
    expect(kept.transport.sent('call:cancel')).toEqual([]);

    const left = phoneHarness();
    left.online();
    left.transport.respond('call:invite', () => queuedAck());
    await left.core.call('support', 'audio');
    await left.core.stop();
    expect(left.transport.sent('call:cancel')).toEqual([{ callId: CALL_ID }]);
  });

  it('a queued call this device left while the server could not hear it is cancelled again, not taken back', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => queuedAck());
    await h.core.call('support', 'audio');
    await h.core.end(CALL_ID);
    h.reconnect({ queuedCalls: [queuedCall()] });
    await flush();
    expect(h.transport.sent('call:cancel')).toEqual([{ callId: CALL_ID }, { callId: CALL_ID }]);
    expect(h.core.snapshot().calls).toEqual([]);
  });
});

describe('PhoneCore: an agent offered a line call', () => {
  it('rings with the line named', () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('call:incoming', incomingCall({ line: SUPPORT }));
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'incoming', line: SUPPORT });
  });
});
