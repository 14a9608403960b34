import { describe, expect, it } from 'vitest';
import type { TransferView } from '../protocol';
import { ALICE, BOB, CALL_ID, CALL_ID_2, CAROL, QUEUE_3, SUPPORT, activeCall, incomingCall } from '../testing/fixtures';
import { flush, phoneHarness, record } from '../testing/phone-harness';
import type { CallView, PhoneSnapshot } from './api';

const TRANSFER_ID = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const NEW_CALL_ID = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';

/** The agent (ALICE) transfers its call with the customer (BOB) to the expert (CAROL). */
function transfer(overrides: Partial<TransferView> = {}): TransferView {
  return {
    transferId: TRANSFER_ID,
    kind: 'consult',
    state: 'ringing',
    originalCallId: CALL_ID,
    legCallId: CALL_ID_2,
    newCallId: null,
    customer: BOB,
    target: CAROL,
    liveLeg: 'leg',
    autoComplete: false,
    endReason: null,
    updatedAt: '2025-01-01T10:00:10.000Z',
    ...overrides,
  };
}

const later = (seconds: number) => new Date(Date.parse('2025-01-01T10:00:10.000Z') + seconds * 1000).toISOString();

/** An agent in an answered call with the customer (taken back at connect: the quickest way to an active call). */
function agentInCall() {
  const h = phoneHarness({ adoptAnsweredCalls: true });
  h.online({ activeCalls: [activeCall({ peer: BOB })] });
  return h;
}

const held = (snapshot: PhoneSnapshot, callId: string) => snapshot.calls.find((c) => c.callId === callId)?.held;

describe('PhoneCore: the transferor', () => {
  it('consult: the customer is held at once, the leg rings as a call of this device, swap and merge decide which leg is live', async () => {
    const h = agentInCall();
    h.transport.respond('call:transfer', () => ({ ok: true, transfer: transfer() }));
    const view = await h.core.transfer(CALL_ID, 'carol', 'consult');
    expect(view.transferId).toBe(TRANSFER_ID);
    expect(h.transport.sent('call:transfer')).toEqual([{ callId: CALL_ID, to: 'carol', mode: 'consult' }]);
    let snap = h.core.snapshot();
    expect(snap.transfers).toEqual([transfer()]);
    expect(held(snap, CALL_ID)).toBe(true);
    expect(snap.calls.find((c) => c.callId === CALL_ID_2)).toMatchObject({ phase: 'calling', direction: 'outgoing', peer: CAROL, held: false });

    const answered = record<[CallView, boolean, boolean]>();
    h.core.on('answered', answered.listener);
    h.transport.push('call:ringing', { callId: CALL_ID_2, deviceId: 'device-carol-1', silent: false });
    h.transport.push('call:accepted', { callId: CALL_ID_2, by: CAROL, deviceId: 'device-carol-1' });
    h.transport.push('transfer:updated', transfer({ state: 'consulting', updatedAt: later(1) }));
    expect(answered.seen.map(([call, initiator]) => [call.callId, initiator])).toEqual([[CALL_ID_2, true]]);
    snap = h.core.snapshot();
    expect([held(snap, CALL_ID), held(snap, CALL_ID_2)]).toEqual([true, false]);

    h.transport.respond('transfer:swap', () => ({ ok: true, transfer: transfer({ state: 'consulting', liveLeg: 'original', updatedAt: later(2) }) }));
    await h.core.transferAction(TRANSFER_ID, 'swap');
    snap = h.core.snapshot();
    expect([held(snap, CALL_ID), held(snap, CALL_ID_2)]).toEqual([false, true]);

    h.transport.respond('transfer:merge', () => ({ ok: true, transfer: transfer({ state: 'merged', liveLeg: 'both', updatedAt: later(3) }) }));
    await h.core.transferAction(TRANSFER_ID, 'merge');
    expect(h.transport.sent('transfer:merge')).toEqual([{ transferId: TRANSFER_ID, merged: true }]);
    snap = h.core.snapshot();
    expect([held(snap, CALL_ID), held(snap, CALL_ID_2)]).toEqual([false, false]);
    // No hold message of its own: the server holds the other parties, this side only derives its media from the transfer.
    expect(h.transport.sent('call:hold')).toEqual([]);
  });

  it('complete: both legs end "transferred" and the finished transfer is dropped with them', async () => {
    const h = agentInCall();
    h.transport.respond('call:transfer', () => ({ ok: true, transfer: transfer() }));
    await h.core.transfer(CALL_ID, 'carol', 'consult');
    h.transport.push('call:accepted', { callId: CALL_ID_2, by: CAROL, deviceId: 'device-carol-1' });
    h.transport.respond('transfer:complete', () => ({ ok: true, transfer: transfer({ state: 'completed', newCallId: NEW_CALL_ID, updatedAt: later(2) }) }));
    await h.core.transferAction(TRANSFER_ID, 'complete');
    for (const callId of [CALL_ID, CALL_ID_2]) h.transport.push('call:ended', { callId, reason: 'transferred', by: ALICE.userId });
    expect(h.core.snapshot()).toMatchObject({ calls: [], transfers: [] });
  });

  it('a failed transfer (no answer) keeps its outcome on screen while the customer call lasts, unheld', async () => {
    const h = agentInCall();
    h.transport.respond('call:transfer', () => ({ ok: true, transfer: transfer({ kind: 'blind', autoComplete: true }) }));
    await h.core.transfer(CALL_ID, 'carol', 'blind');
    // A blind leg is not a call of the transferor's screen.
    expect(h.core.snapshot().calls.map((c) => c.callId)).toEqual([CALL_ID]);
    h.transport.push('transfer:updated', transfer({ kind: 'blind', autoComplete: true, state: 'failed', endReason: 'no-answer', liveLeg: 'original', updatedAt: later(20) }));
    const snap = h.core.snapshot();
    expect(held(snap, CALL_ID)).toBe(false);
    expect(snap.transfers.map((t) => [t.state, t.endReason])).toEqual([['failed', 'no-answer']]);
  });

  it('drops an update older than the one it has (acks and events can cross)', async () => {
    const h = agentInCall();
    h.transport.respond('call:transfer', () => ({ ok: true, transfer: transfer({ state: 'consulting', updatedAt: later(5) }) }));
    await h.core.transfer(CALL_ID, 'carol', 'consult');
    h.transport.push('transfer:updated', transfer({ state: 'ringing', updatedAt: later(1) }));
    expect(h.core.snapshot().transfers.map((t) => t.state)).toEqual(['consulting']);
  });

  it('a refused transfer throws its code and changes nothing', async () => {
    const h = agentInCall();
    h.transport.respond('call:transfer', () => ({ ok: false, error: { code: 'TRANSFER_CONFLICT', message: 'one at a time' } }));
    await expect(h.core.transfer(CALL_ID, 'carol', 'consult')).rejects.toMatchObject({ code: 'TRANSFER_CONFLICT' });
    expect(h.core.snapshot()).toMatchObject({ transfers: [], calls: [{ callId: CALL_ID, held: false }] });
  });

  it('after a reconnect the open transfer comes back from session:ready and the answered leg is taken back', () => {
    const h = agentInCall();
    h.reconnect({
      activeCalls: [activeCall({ peer: BOB }), activeCall({ callId: CALL_ID_2, peer: CAROL })],
      transfers: [transfer({ state: 'consulting' })],
    });
    const snap = h.core.snapshot();
    expect(snap.transfers.map((t) => t.state)).toEqual(['consulting']);
    expect([held(snap, CALL_ID), held(snap, CALL_ID_2)]).toEqual([true, false]);
  });
});

describe('PhoneCore: the customer and the target of a completed transfer', () => {
  it('call:replaced: the new call starts, the old one ends "transferred"; no snapshot in between shows neither call', () => {
    const h = phoneHarness({ adoptAnsweredCalls: true });
    h.online({ activeCalls: [activeCall({ peer: ALICE, role: 'callee' })] });
    const snapshots = record<[PhoneSnapshot]>();
    const answered = record<[CallView, boolean, boolean]>();
    const ended = record<[CallView]>();
    h.core.on('snapshot', snapshots.listener);
    h.core.on('answered', answered.listener);
    h.core.on('ended', ended.listener);
    h.transport.push('call:replaced', { oldCallId: CALL_ID, by: ALICE, call: activeCall({ callId: NEW_CALL_ID, peer: CAROL, role: 'caller' }) });
    expect(snapshots.seen.length).toBeGreaterThan(0);
    for (const [snap] of snapshots.seen) expect(snap.calls.length).toBeGreaterThan(0);
    expect(h.core.snapshot().calls).toEqual([expect.objectContaining({ callId: NEW_CALL_ID, phase: 'active', peer: CAROL, transferredBy: ALICE })]);
    expect(answered.seen.map(([call, initiator, restart]) => [call.callId, initiator, restart])).toEqual([[NEW_CALL_ID, true, false]]);
    expect(ended.seen.map(([call]) => [call.callId, call.endReason, call.replacedBy])).toEqual([[CALL_ID, 'transferred', NEW_CALL_ID]]);
    expect(h.transport.sent('call:hangup')).toEqual([]);
  });

  it.each(['transferred', 'returned', 'agent-lost'] as const)(
    'call:queued (%s): the customer moved to a line waits there as a queued call (position, estimate); the old call ends without a summary, no snapshot shows neither; the agent answering connects it',
    (why) => {
      const h = phoneHarness({ adoptAnsweredCalls: true });
      h.online({ activeCalls: [activeCall({ peer: ALICE, role: 'caller' })] });
      const snapshots = record<[PhoneSnapshot]>();
      const ended = record<[CallView]>();
      h.core.on('snapshot', snapshots.listener);
      h.core.on('ended', ended.listener);
      const queued = { callId: NEW_CALL_ID, line: SUPPORT, media: 'audio' as const, enqueuedAt: later(0), giveUpAt: later(600), ringUntil: later(620), queue: QUEUE_3 };
      h.transport.push('call:queued', { oldCallId: CALL_ID, by: ALICE, why, queued });
      for (const [snap] of snapshots.seen) expect(snap.calls.length).toBeGreaterThan(0);
      const line = { userId: SUPPORT.lineId, username: SUPPORT.name, displayName: SUPPORT.displayName };
      const transferredBy = why === 'transferred' ? ALICE : null;
      expect(h.core.snapshot().calls).toEqual([
        expect.objectContaining({ callId: NEW_CALL_ID, phase: 'calling', direction: 'outgoing', peer: line, line: SUPPORT, queue: QUEUE_3, transferredBy, movedToLine: { why, by: ALICE } }),
      ]);
      expect(ended.seen.map(([call]) => [call.callId, call.endReason, call.replacedBy])).toEqual([[CALL_ID, 'transferred', NEW_CALL_ID]]);
      h.transport.push('line:queue-status', { callId: NEW_CALL_ID, queue: { ...QUEUE_3, position: 1 } });
      expect(h.core.snapshot().calls[0]?.queue?.position).toBe(1);
      h.transport.push('call:accepted', { callId: NEW_CALL_ID, by: CAROL, deviceId: 'device-carol-1' });
      expect(h.core.snapshot().calls).toEqual([expect.objectContaining({ callId: NEW_CALL_ID, phase: 'active', peer: CAROL, queue: null, transferredBy })]);
      expect(h.transport.sent('call:hangup')).toEqual([]);
    },
  );

  it('blind target: the context shows while it rings; replaced inside its accept, the late acknowledgement is ignored quietly', async () => {
    const h = phoneHarness();
    h.online({ user: CAROL });
    h.transport.hold('call:accept');
    h.transport.push('call:incoming', incomingCall({ callId: CALL_ID_2, from: ALICE, context: { kind: 'transfer', by: ALICE, for: BOB } }));
    expect(h.core.snapshot().calls[0]).toMatchObject({ phase: 'incoming', context: { kind: 'transfer', by: ALICE, for: BOB } });
    const answering = h.core.answer(CALL_ID_2);
    await flush();
    h.transport.push('call:replaced', { oldCallId: CALL_ID_2, by: ALICE, call: activeCall({ callId: NEW_CALL_ID, peer: BOB, role: 'callee' }) });
    h.transport.ack('call:accept', { ok: true, caller: ALICE });
    await answering;
    expect(h.core.snapshot().calls).toEqual([expect.objectContaining({ callId: NEW_CALL_ID, phase: 'active', direction: 'incoming', peer: BOB, transferredBy: ALICE })]);
    expect(h.logger.messages('warn')).toEqual([]);
  });

  it('call:conference: every side keeps the three names while merged', () => {
    const h = phoneHarness({ adoptAnsweredCalls: true });
    h.online({ activeCalls: [activeCall({ peer: ALICE })] });
    const conference = { active: true, parties: [ALICE, BOB, CAROL], hub: ALICE.userId };
    h.transport.push('call:conference', { callId: CALL_ID, conference });
    expect(h.core.snapshot().calls[0]?.conference).toEqual(conference);
    h.transport.push('call:conference', { callId: CALL_ID, conference: { ...conference, active: false } });
    expect(h.core.snapshot().calls[0]?.conference).toBeNull();
  });
});
