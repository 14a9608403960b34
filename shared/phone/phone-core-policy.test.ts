import { describe, expect, it } from 'vitest';
import { BOB, CALL_ID, CALL_ID_2, CAROL, activeCall, incomingCall } from '../testing/fixtures';
import { flush, phoneHarness, inviteAck, record } from '../testing/phone-harness';
import type { MissedCall } from '../protocol';
import type { CallView } from './api';

describe('PhoneCore: ring policy', () => {
  it('rejects a blocked caller without ringing', () => {
    const h = phoneHarness({ ringPolicy: { dnd: 'off', blocklist: ['alice'], callWaiting: true } });
    h.online();
    const incoming = record<[CallView]>();
    h.core.on('incoming', incoming.listener);
    h.transport.push('call:incoming', incomingCall());
    expect(h.transport.sent('call:reject')).toEqual([{ callId: CALL_ID, reason: 'blocked' }]);
    expect(h.notifier.records).toEqual([]);
    expect(incoming.seen).toEqual([]);
    expect(h.transport.sent('call:ringing')).toEqual([]);
  });

  it('DND reject and DND silent', () => {
    const h = phoneHarness();
    h.online();
    h.core.setRingPolicy({ dnd: 'reject', blocklist: [], callWaiting: true });
    h.transport.push('call:incoming', incomingCall());
    expect(h.transport.sent('call:reject')).toEqual([{ callId: CALL_ID, reason: 'dnd' }]);
    h.core.setRingPolicy({ dnd: 'silent', blocklist: [], callWaiting: true });
    h.transport.push('call:incoming', incomingCall({ callId: CALL_ID_2 }));
    expect(h.transport.sent('call:ringing')).toEqual([{ callId: CALL_ID_2, silent: true }]);
    expect(h.notifier.ringing.get(CALL_ID_2)).toEqual({ silent: true, waiting: false });
    expect(h.store.ringPolicy?.dnd).toBe('silent');
    expect(h.core.ringPolicy().dnd).toBe('silent');
  });

  it('call waiting on rings with the waiting mark; off answers busy', async () => {
    const h = phoneHarness();
    h.online({ activeCalls: [] });
    h.transport.respond('call:invite', () => inviteAck());
    await h.core.call('bob', 'audio');
    h.transport.push('call:accepted', { callId: CALL_ID, by: BOB, deviceId: 'device-bob-1' });
    h.transport.push('call:incoming', incomingCall({ callId: CALL_ID_2, from: CAROL }));
    expect(h.notifier.ringing.get(CALL_ID_2)).toEqual({ silent: false, waiting: true });
    expect(h.core.snapshot().calls.find((c) => c.callId === CALL_ID_2)?.waiting).toBe(true);
    h.transport.push('call:ended', { callId: CALL_ID_2, reason: 'cancelled' });

    h.core.setRingPolicy({ dnd: 'off', blocklist: [], callWaiting: false });
    const third = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
    h.transport.push('call:incoming', incomingCall({ callId: third, from: CAROL }));
    expect(h.transport.sent('call:reject')).toEqual([{ callId: third, reason: 'busy' }]);
    expect(h.notifier.ringing.has(third)).toBe(false);
  });
});

describe('PhoneCore: reconcile after reconnect', () => {
  it('ends local calls the server forgot, resumes known ones, rings pending invites and hangs up strangers', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => inviteAck());
    await h.core.call('bob', 'audio');
    h.transport.push('call:accepted', { callId: CALL_ID, by: BOB, deviceId: 'device-bob-1' });
    const ended = record<[CallView]>();
    h.core.on('ended', ended.listener);

    const strangerActive = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
    const strangerOutgoing = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
    h.reconnect({
      activeCalls: [activeCall({ peerConnected: false }), activeCall({ callId: strangerActive })],
      outgoingCalls: [{ callId: strangerOutgoing, callee: CAROL, media: 'audio', startedAt: '2025-01-01T09:59:00.000Z', ringing: true, ringUntil: '2025-01-01T10:00:30.000Z' }],
      pendingInvites: [incomingCall({ callId: CALL_ID_2, from: CAROL })],
    });
    await flush();
    expect(h.core.snapshot().connection.status).toBe('online');
    expect(h.core.snapshot().calls.find((c) => c.callId === CALL_ID)).toMatchObject({ phase: 'active', peerConnected: false });
    expect(h.transport.sent('call:hangup')).toEqual([{ callId: strangerActive, reason: 'media-failed' }]);
    expect(h.transport.sent('call:cancel')).toEqual([{ callId: strangerOutgoing }]);
    expect(h.notifier.ringing.get(CALL_ID_2)).toEqual({ silent: false, waiting: true });

    h.reconnect({});
    expect(ended.seen.map(([c]) => [c.callId, c.endReason])).toEqual([
      [CALL_ID, 'connection-lost'],
      [CALL_ID_2, 'connection-lost'],
    ]);
    expect(h.notifier.ringing.size).toBe(0);
    expect(h.core.snapshot().calls).toEqual([]);
  });
});

describe('PhoneCore: missed calls', () => {
  const missed = (id: string): MissedCall => ({ id, callId: CALL_ID, from: BOB, media: 'audio', at: '2025-01-01T09:00:00.000Z', reason: 'no-answer' });
  const M1 = 'f1f1f1f1-f1f1-4f1f-8f1f-f1f1f1f1f1f1';
  const M2 = 'f2f2f2f2-f2f2-4f2f-8f2f-f2f2f2f2f2f2';

  it('keeps them, reports new ones once, and acknowledges', async () => {
    const h = phoneHarness();
    h.online();
    const events = record<[MissedCall[]]>();
    h.core.on('missed', events.listener);
    h.transport.push('missed:calls', { calls: [missed(M1)] });
    h.reconnect();
    h.transport.push('missed:calls', { calls: [missed(M1), missed(M2)] });
    expect(events.seen.map(([calls]) => calls.map((c) => c.id))).toEqual([[M1], [M2]]);
    expect(h.core.snapshot().missedCalls.map((c) => c.id)).toEqual([M1, M2]);
    expect(h.notifier.missed).toHaveLength(2);

    h.transport.respond('missed:ack', () => ({ ok: true, acknowledged: 1 }));
    await h.core.acknowledgeMissed([M1]);
    expect(h.transport.sent('missed:ack')).toEqual([{ ids: [M1] }]);
    expect(h.core.snapshot().missedCalls.map((c) => c.id)).toEqual([M2]);
    expect(h.notifier.missed.map((c) => c.id)).toEqual([M2]);

    h.reconnect();
    expect(h.core.snapshot().missedCalls).toEqual([]);
  });

  it('rejects acknowledgeMissed when the server refuses', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('missed:calls', { calls: [missed(M1)] });
    h.transport.respond('missed:ack', () => ({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'bad ids' } }));
    await expect(h.core.acknowledgeMissed([M1])).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(h.core.snapshot().missedCalls).toHaveLength(1);
  });
});
