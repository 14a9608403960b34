import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CALL_ID, activeCall } from '../testing/fixtures';
import { flush, inviteAck, phoneHarness, record, sessionReady } from '../testing/phone-harness';
import type { CallView } from './api';

/** A call to Bob, answered: this side is the caller (the initiator). */
async function activeCallToBob(h: ReturnType<typeof phoneHarness>) {
  h.online();
  h.transport.respond('call:invite', () => inviteAck());
  await h.core.call('bob', 'audio');
  h.transport.push('call:accepted', { callId: CALL_ID, by: BOB, deviceId: 'device-bob-1' });
  expect(h.core.snapshot().calls[0]?.phase).toBe('active');
}

describe('PhoneCore: in-call messages made while signalling is offline (issue 12, finding 1)', () => {
  it('keeps signals, hold and mute made offline and sends them in order once the session is back', async () => {
    const h = phoneHarness();
    await activeCallToBob(h);
    h.transport.drop();
    const offer = { type: 'offer' as const, sdp: 'v=0 offer' };
    const candidate = { type: 'candidate' as const, candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host' } };
    const sent = Promise.all([h.core.sendSignal(CALL_ID, offer), h.core.mute(CALL_ID, true), h.core.sendSignal(CALL_ID, candidate)]);
    await flush();
    expect(h.transport.sent('call:signal')).toEqual([]);
    expect(h.core.snapshot().calls[0]).toMatchObject({ muted: true }); // mute is local at once

    h.transport.acceptConnection();
    // Between connect and session:ready the session is not registered: still held.
    expect(h.transport.sent('call:signal')).toEqual([]);
    h.transport.push('session:ready', sessionReady({ activeCalls: [activeCall()] }));
    await sent;
    const order = h.transport.requests.filter((r) => r.event === 'call:signal' || r.event === 'call:mute').map((r) => [r.event, r.payload]);
    expect(order).toEqual([
      ['call:signal', { callId: CALL_ID, data: offer }],
      ['call:mute', { callId: CALL_ID, muted: true }], // the reconcile's own re-send of the mute follows below
      ['call:signal', { callId: CALL_ID, data: candidate }],
      ['call:mute', { callId: CALL_ID, muted: true }],
    ]);
  });

  it('a message made while others are still held queues behind them, even once online', async () => {
    const h = phoneHarness();
    await activeCallToBob(h);
    h.transport.drop();
    void h.core.sendSignal(CALL_ID, { type: 'offer', sdp: 'first' });
    h.transport.acceptConnection();
    h.transport.push('session:ready', sessionReady({ activeCalls: [activeCall()] }));
    await h.core.sendSignal(CALL_ID, { type: 'offer', sdp: 'second' });
    expect(h.transport.sent('call:signal').map((p) => (p as { data: { sdp: string } }).data.sdp)).toEqual(['first', 'second']);
  });

  it('drops what was held for a call that ended meanwhile', async () => {
    const h = phoneHarness();
    await activeCallToBob(h);
    h.transport.drop();
    const held = h.core.sendSignal(CALL_ID, { type: 'offer', sdp: 'never' });
    h.transport.acceptConnection();
    h.transport.push('session:ready', sessionReady({ activeCalls: [] })); // the server forgot the call
    await expect(held).rejects.toMatchObject({ code: 'OFFLINE', message: 'the call ended before signalling came back' });
    expect(h.transport.sent('call:signal')).toEqual([]);
    expect(h.core.snapshot().calls).toEqual([]);
  });

  it('a message the socket already took is not held (its delivery is unknown: not sent twice)', async () => {
    const h = phoneHarness();
    await activeCallToBob(h);
    h.transport.hold('call:signal'); // handed to the socket, never acknowledged
    const pending = h.core.sendSignal(CALL_ID, { type: 'offer', sdp: 'once' }).catch((error: unknown) => error);
    h.transport.drop();
    expect(await pending).toMatchObject({ code: 'OFFLINE' }); // the socket dropped before the acknowledgement
    h.transport.acceptConnection();
    h.transport.push('session:ready', sessionReady({ activeCalls: [activeCall()] }));
    await flush();
    expect(h.transport.sent('call:signal')).toHaveLength(1);
  });
});

describe('PhoneCore: remote mute', () => {
  it('tells the other side, and shows what the other side says', async () => {
    const h = phoneHarness();
    await activeCallToBob(h);
    await h.core.mute(CALL_ID, true);
    expect(h.transport.sent('call:mute')).toEqual([{ callId: CALL_ID, muted: true }]);
    h.transport.push('call:mute', { callId: CALL_ID, muted: true, by: BOB.userId });
    expect(h.core.snapshot().calls[0]).toMatchObject({ muted: true, remoteMuted: true });
  });
});

describe('PhoneCore: an answered call this device lost (a reloaded page)', () => {
  const lost = activeCall({ role: 'callee', peer: ALICE, peerMuted: true });

  it('is taken back with adoptAnsweredCalls, and its media is told to restart', () => {
    const h = phoneHarness({ adoptAnsweredCalls: true });
    const core = h.core;
    const answered = record<[CallView, boolean, boolean]>();
    core.on('answered', answered.listener);
    h.online({ activeCalls: [lost] });
    expect(core.snapshot().calls).toMatchObject([{ callId: CALL_ID, phase: 'active', direction: 'incoming', peer: ALICE, remoteMuted: true }]);
    expect(answered.seen.map(([call, initiator, restart]) => [call.callId, initiator, restart])).toEqual([[CALL_ID, false, true]]);
    expect(h.transport.sent('call:hangup')).toEqual([]);
  });

  it('is hung up (media-failed) without it', () => {
    const h = phoneHarness();
    h.online({ activeCalls: [lost] });
    expect(h.transport.sent('call:hangup')).toEqual([{ callId: CALL_ID, reason: 'media-failed' }]);
  });

  it('stop({ keepResumable }) leaves answered calls to the resume grace, and still cancels unanswered ones', async () => {
    const h = phoneHarness();
    await activeCallToBob(h);
    await h.core.stop({ keepResumable: true });
    expect(h.transport.sent('call:hangup')).toEqual([]);
  });
});
