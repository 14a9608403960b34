import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CALL_ID, CALL_ID_2, CAROL, activeCall, incomingCall } from '../testing/fixtures';
import { DEVICE_ID, flush, phoneHarness } from '../testing/phone-harness';
import { MemoryStore } from '../testing/memory-store';
import { PROTOCOL_VERSION } from '../protocol';
import type { MissedCall } from '../protocol';
import type { CallView } from './api';
import { PhoneCore } from './phone-core';
import { ManualClock } from '../testing/manual-clock';
import { FakeTransport } from '../testing/fake-transport';
import { RecordingNotifier } from '../testing/recording-notifier';
import { CountingTokens } from '../testing/phone-harness';

const inviteAck = (status: 'ringing' | 'unavailable' = 'ringing') => ({ ok: true, callId: CALL_ID, status, devices: status === 'ringing' ? 1 : 0, callee: BOB });

function record<T extends unknown[]>() {
  const seen: T[] = [];
  return { seen, listener: (...args: T) => void seen.push(args) };
}

describe('PhoneCore: session', () => {
  it('connects with the token, device id and protocol version, and is online only after session:ready', async () => {
    const h = phoneHarness();
    h.core.start();
    expect(h.core.snapshot().connection.status).toBe('connecting');
    expect(await h.transport.handshake()).toEqual({ token: 'token-1', deviceId: DEVICE_ID, protocolVersion: PROTOCOL_VERSION });
    h.transport.acceptConnection();
    expect(h.core.snapshot().connection.status).toBe('connecting');
    h.transport.push('session:ready', { ...(await import('../testing/phone-harness')).sessionReady(), presence: 'dnd' });
    expect(h.core.snapshot()).toMatchObject({ connection: { status: 'online', reason: null }, user: ALICE, presence: 'dnd', deviceId: DEVICE_ID });
  });

  it('creates a device id once and keeps it in the store', () => {
    const store = new MemoryStore();
    const make = () => new PhoneCore({ transport: new FakeTransport(), clock: new ManualClock(), store, notifier: new RecordingNotifier(), auth: new CountingTokens() });
    const first = make().deviceId;
    expect(first).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(store.deviceId).toBe(first);
    expect(make().deviceId).toBe(first);
  });

  it('drops a server event that fails the schema and logs it', () => {
    const h = phoneHarness();
    h.online();
    h.transport.pushRaw('call:incoming', { callId: 'not-a-uuid', from: ALICE });
    expect(h.notifier.records).toEqual([]);
    expect(h.logger.messages('warn').some((m) => m.includes('dropped invalid call:incoming'))).toBe(true);
  });
});

describe('PhoneCore: outgoing calls', () => {
  it('runs a call from invite to hang-up', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => inviteAck());
    const ringback = record<[string]>();
    const answered = record<[CallView, boolean]>();
    const signals = record<[string, unknown]>();
    const ended = record<[CallView]>();
    h.core.on('ringback', ringback.listener);
    h.core.on('answered', answered.listener);
    h.core.on('signal', signals.listener);
    h.core.on('ended', ended.listener);

    const view = await h.core.call('bob', 'video');
    expect(view).toMatchObject({ callId: CALL_ID, phase: 'calling', peer: BOB, media: 'video', direction: 'outgoing' });
    expect(h.transport.sent('call:invite')).toEqual([{ to: 'bob', media: 'video' }]);

    h.transport.push('call:ringing', { callId: CALL_ID, deviceId: 'device-bob-1', silent: false });
    expect(ringback.seen).toEqual([[CALL_ID]]);
    h.transport.push('call:accepted', { callId: CALL_ID, by: BOB, deviceId: 'device-bob-1' });
    expect(answered.seen).toHaveLength(1);
    expect(answered.seen[0]?.[1]).toBe(true);

    await h.core.sendSignal(CALL_ID, { type: 'offer', sdp: 'v=0' });
    expect(h.transport.sent('call:signal')).toEqual([{ callId: CALL_ID, data: { type: 'offer', sdp: 'v=0' } }]);
    h.transport.push('call:signal', { callId: CALL_ID, from: BOB, deviceId: 'device-bob-1', data: { type: 'answer', sdp: 'v=1' } });
    expect(signals.seen).toEqual([[CALL_ID, { type: 'answer', sdp: 'v=1' }]]);

    await h.core.end(CALL_ID);
    expect(h.transport.sent('call:hangup')).toEqual([{ callId: CALL_ID, reason: 'hangup' }]);
    expect(ended.seen[0]?.[0]).toMatchObject({ callId: CALL_ID, phase: 'ended', endReason: 'hangup' });
    expect(h.core.snapshot().calls).toEqual([]);
  });

  it('applies server events that overtake the invite acknowledgement', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.hold('call:invite');
    const pending = h.core.call('bob', 'audio');
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'inviting' });
    h.transport.push('call:ringing', { callId: CALL_ID, deviceId: 'device-bob-1', silent: false });
    h.transport.ack('call:invite', inviteAck());
    await pending;
    expect(h.core.snapshot().calls[0]).toMatchObject({ callId: CALL_ID, phase: 'ringback' });
  });

  it('rejects call() with the server error code and leaves no call behind', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => ({ ok: false, error: { code: 'USER_NOT_FOUND', message: 'no such user' } }));
    await expect(h.core.call('nobody', 'audio')).rejects.toMatchObject({ name: 'PhoneError', code: 'USER_NOT_FOUND' });
    expect(h.core.snapshot().calls).toEqual([]);
  });

  it('rejects call() with OFFLINE when not connected', async () => {
    const h = phoneHarness();
    h.core.start();
    await expect(h.core.call('bob', 'audio')).rejects.toMatchObject({ code: 'OFFLINE' });
  });

  it('returns an ended call when the callee is unavailable', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => inviteAck('unavailable'));
    expect(await h.core.call('bob', 'audio')).toMatchObject({ phase: 'ended', endReason: 'unavailable' });
  });

  it('cancels a call hung up before its invite was acknowledged', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.hold('call:invite');
    const pending = h.core.call('bob', 'audio');
    await h.core.end(h.core.snapshot().calls[0]!.callId);
    h.transport.ack('call:invite', inviteAck());
    expect(await pending).toMatchObject({ phase: 'ended', endReason: 'cancelled' });
    expect(h.transport.sent('call:cancel')).toEqual([{ callId: CALL_ID }]);
  });
});

describe('PhoneCore: incoming calls', () => {
  it('rings, answers and stops the ring surfaces', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:accept', () => ({ ok: true, caller: ALICE }));
    const answered = record<[CallView, boolean]>();
    h.core.on('answered', answered.listener);
    h.transport.push('call:incoming', incomingCall());
    expect(h.transport.sent('call:ringing')).toEqual([{ callId: CALL_ID, silent: false }]);
    expect(h.notifier.ringing.get(CALL_ID)).toEqual({ silent: false, waiting: false });
    await h.core.answer(CALL_ID);
    expect(h.notifier.stops(CALL_ID)).toEqual(['answered']);
    expect(answered.seen[0]?.[1]).toBe(false);
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'active', direction: 'incoming', peer: ALICE });
  });

  it('ends with answered-elsewhere when another device won the race', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:accept', () => ({ ok: false, error: { code: 'ALREADY_ANSWERED', message: 'too late' } }));
    h.transport.push('call:incoming', incomingCall());
    await expect(h.core.answer(CALL_ID)).rejects.toMatchObject({ code: 'ALREADY_ANSWERED' });
    expect(h.core.snapshot().calls).toEqual([]);
  });

  it('stops ringing when the call is answered elsewhere', () => {
    const h = phoneHarness();
    h.online();
    const stopped = record<[string, string]>();
    h.core.on('ring-stopped', stopped.listener);
    h.transport.push('call:incoming', incomingCall());
    h.transport.push('call:ended', { callId: CALL_ID, reason: 'answered-elsewhere' });
    expect(h.notifier.stops(CALL_ID)).toEqual(['answered-elsewhere']);
    expect(stopped.seen).toEqual([[CALL_ID, 'answered-elsewhere']]);
  });

  it('ignores a duplicate invite and a re-delivered one after it ended', () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('call:incoming', incomingCall());
    h.transport.push('call:incoming', incomingCall());
    h.transport.push('call:ended', { callId: CALL_ID, reason: 'cancelled' });
    h.transport.push('call:incoming', incomingCall());
    expect(h.notifier.records.filter((r) => r.type === 'start')).toHaveLength(1);
  });
});

describe('PhoneCore: illegal actions', () => {
  it('refuses an action the model does not allow, with the reason, and logs it', async () => {
    const h = phoneHarness();
    h.online();
    h.transport.respond('call:invite', () => inviteAck());
    await h.core.call('bob', 'audio');
    await expect(h.core.answer(CALL_ID)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining("'answer' is not allowed in phase 'calling'") });
    await expect(h.core.sendSignal(CALL_ID, { type: 'offer', sdp: 'x' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(h.logger.messages('warn').some((m) => m.includes("ignored: event 'answer'"))).toBe(true);
    expect(h.transport.sent('call:accept')).toEqual([]);
    expect(h.core.snapshot().calls[0]?.phase).toBe('calling');
  });

  it('refuses actions on unknown calls and ignores server events for them', async () => {
    const h = phoneHarness();
    h.online();
    await expect(h.core.end(CALL_ID_2)).rejects.toMatchObject({ code: 'CALL_NOT_FOUND' });
    h.transport.push('call:accepted', { callId: CALL_ID_2, by: BOB, deviceId: 'device-bob-1' });
    expect(h.logger.messages('info').some((m) => m.includes("ignored: 'remote-accepted'"))).toBe(true);
    expect(h.core.snapshot().calls).toEqual([]);
  });

  it('ignores a remote event that is illegal in the phase', () => {
    const h = phoneHarness();
    h.online();
    h.transport.push('call:incoming', incomingCall());
    h.transport.push('call:hold', { callId: CALL_ID, held: true, by: ALICE.userId });
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'incoming', remoteHeld: false });
    expect(h.logger.messages('warn').some((m) => m.includes("'remote-hold' is not allowed in phase 'incoming'"))).toBe(true);
  });
});

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
      outgoingCalls: [{ callId: strangerOutgoing, callee: CAROL, media: 'audio', startedAt: '2025-01-01T09:59:00.000Z', ringing: true }],
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
