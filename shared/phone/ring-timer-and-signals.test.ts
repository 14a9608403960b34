import { describe, expect, it } from 'vitest';
import { activeCall, ALICE, BOB, CALL_ID, incomingCall } from '../testing/fixtures';
import { flush, inviteAck, phoneHarness, RING_UNTIL } from '../testing/phone-harness';

/**
 * Issue 10, items 13 and 12 (client side): PhoneCore ends a ringing call at `ringUntil` by its own clock
 * (corrected by the server-time offset from session:ready), with no word from the server; and it
 * acknowledges every relayed signal, dropping one it already has (the server sends unacknowledged ones again).
 */

const HARNESS_START = Date.parse('2025-01-01T10:00:00.000Z');

describe('local ring timer', () => {
  it('an incoming call stops ringing at ringUntil, measured on the server clock (offset from session:ready)', () => {
    const h = phoneHarness();
    // The server's clock is 7 s ahead of this device's.
    h.online({ serverTime: new Date(HARNESS_START + 7_000).toISOString() });
    const ringUntil = new Date(HARNESS_START + 7_000 + 30_000).toISOString();
    h.transport.push('call:incoming', incomingCall({ ringUntil }));
    expect(h.notifier.ringing.has(CALL_ID)).toBe(true);
    h.clock.advance(29_999);
    expect(h.notifier.ringing.has(CALL_ID)).toBe(true);
    h.clock.advance(1);
    expect(h.notifier.stops(CALL_ID)).toEqual(['no-answer']);
    expect(h.core.snapshot().calls).toEqual([]);
    // Nothing is sent: the server ends it too, or already did.
    expect(h.transport.sent('call:reject')).toEqual([]);
    // The server's own call:ended arriving later changes nothing.
    h.transport.push('call:ended', { callId: CALL_ID, reason: 'no-answer' });
    expect(h.notifier.stops(CALL_ID)).toEqual(['no-answer']);
  });

  it('works with the server unreachable: the ring stops although nothing arrives', () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('call:incoming', incomingCall({ ringUntil: new Date(HARNESS_START + 20_000).toISOString() }));
    h.transport.drop('transport close', true);
    h.clock.advance(20_000);
    expect(h.notifier.stops(CALL_ID)).toEqual(['no-answer']);
    expect(h.core.snapshot().connection.status).toBe('reconnecting');
  });

  it('the caller gets ringUntil in the invite acknowledgement and ends at it', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => inviteAck());
    const view = await h.core.call('bob', 'audio');
    expect(view).toMatchObject({ callId: CALL_ID, phase: 'calling', peer: BOB });
    h.clock.advance(Date.parse(RING_UNTIL) - HARNESS_START - 1);
    expect(h.core.snapshot().calls).toHaveLength(1);
    h.clock.advance(1);
    await flush();
    expect(h.core.snapshot().calls).toEqual([]);
    expect(h.transport.sent('call:cancel')).toEqual([]);
  });

  it('an answered call is not touched by its old ring deadline', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('call:incoming', incomingCall({ ringUntil: new Date(HARNESS_START + 10_000).toISOString() }));
    h.transport.respond('call:accept', () => ({ ok: true, caller: BOB, peerConnected: true }));
    await h.core.answer(CALL_ID);
    h.clock.advance(60_000);
    expect(h.core.snapshot().calls).toMatchObject([{ callId: CALL_ID, phase: 'active' }]);
  });
});

const relayed = (seq: number, sdp: string, stream = 'stream-1') => ({ callId: CALL_ID, from: BOB, deviceId: 'device-bob-1', data: { type: 'offer' as const, sdp }, seq, stream });

/** An answered incoming call, and the signals PhoneCore hands to the media layer. */
async function answeredCall() {
  const h = phoneHarness();
  h.online();
  h.transport.push('call:incoming', incomingCall());
  h.transport.respond('call:accept', () => ({ ok: true, caller: BOB, peerConnected: true }));
  await h.core.answer(CALL_ID);
  const delivered: unknown[] = [];
  h.core.on('signal', (_callId, data) => void delivered.push(data));
  return { h, delivered };
}

describe('relayed signals', () => {
  it('acknowledges every call:signal and delivers each seq once', async () => {
    const { h, delivered } = await answeredCall();
    const signal = (seq: number, sdp: string) => relayed(seq, sdp);
    h.transport.push('call:signal', signal(1, 'one'));
    h.transport.push('call:signal', signal(2, 'two'));
    h.reconnect({ activeCalls: [activeCall({ peer: ALICE, role: 'callee' })] }); // then the server resends what it has no acknowledgement for
    h.transport.push('call:signal', signal(2, 'two'));
    h.transport.push('call:signal', signal(3, 'three'));
    expect(delivered).toEqual([
      { type: 'offer', sdp: 'one' },
      { type: 'offer', sdp: 'two' },
      { type: 'offer', sdp: 'three' },
    ]);
    expect(h.transport.acks.map((a) => (a.payload as { seq: number }).seq)).toEqual([1, 2, 2, 3]);
  });

  it('a restarted server numbers from 1 again under a new stream: those signals are new, not copies', async () => {
    const { h, delivered } = await answeredCall();
    h.transport.push('call:signal', relayed(1, 'offer'));
    h.transport.push('call:signal', relayed(2, 'candidate'));
    h.reconnect({ activeCalls: [activeCall({ peer: ALICE, role: 'callee' })] }); // the server was restarted meanwhile
    h.transport.push('call:signal', relayed(1, 'restart request', 'stream-2'));
    h.transport.push('call:signal', relayed(1, 'restart request', 'stream-2')); // its resend after a lost acknowledgement
    h.transport.push('call:signal', relayed(2, 'restart offer', 'stream-2'));
    expect(delivered.map((data) => (data as { sdp: string }).sdp)).toEqual(['offer', 'candidate', 'restart request', 'restart offer']);
  });
});
