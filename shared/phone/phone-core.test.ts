import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CALL_ID, CALL_ID_2, incomingCall } from '../testing/fixtures';
import { CountingTokens, DEVICE_ID, inviteAck, phoneHarness, record, sessionReady } from '../testing/phone-harness';
import { MemoryStore } from './memory-store';
import { PROTOCOL_VERSION } from '../protocol';
import type { CallView } from './api';
import { PhoneCore } from './phone-core';
import { ManualClock } from '../testing/manual-clock';
import { FakeTransport } from '../testing/fake-transport';
import { RecordingNotifier } from '../testing/recording-notifier';

describe('PhoneCore: session', () => {
  it('connects with the token, device id and protocol version, and is online only after session:ready', async () => {
    const h = phoneHarness();
    h.core.start();
    expect(h.core.snapshot().connection.status).toBe('connecting');
    expect(await h.transport.handshake()).toEqual({ token: 'token-1', deviceId: DEVICE_ID, protocolVersion: PROTOCOL_VERSION });
    h.transport.acceptConnection();
    expect(h.core.snapshot().connection.status).toBe('connecting');
    h.transport.push('session:ready', sessionReady({ presence: 'dnd' }));
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
    h.transport.push('call:signal', { callId: CALL_ID, from: BOB, deviceId: 'device-bob-1', data: { type: 'answer', sdp: 'v=1' }, seq: 1, stream: 'stream-1' });
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
