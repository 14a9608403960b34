import { describe, expect, it } from 'vitest';
import type { BridgeSnapshot } from '../../../shared/bridge';
import type { TransferView } from '../../../shared/protocol';
import { ALICE, BOB, CAROL, QUEUE_3, SUPPORT, callView } from '../../../shared/testing/fixtures';
import { heldByOtherSide, newRecalls, waitingTone } from './progress-tones';
import { PROGRESS_TONES, patternDurationMs } from './tones';
import { AUTO_ANSWER_DELAY_MS } from '../../../shared/phone/auto-answer';

const snapshot = (calls: BridgeSnapshot['calls']): BridgeSnapshot =>
  ({ calls, transfers: [], missedCalls: [], localMedia: {}, missedCount: 0, status: 'in-call' }) as unknown as BridgeSnapshot;

const transfer = (state: TransferView['state'], endReason: TransferView['endReason'], id = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc'): TransferView => ({
  transferId: id,
  kind: 'blind',
  state,
  originalCallId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
  legCallId: null,
  newCallId: null,
  customer: BOB,
  target: CAROL,
  liveLeg: 'original',
  autoComplete: true,
  endReason,
  updatedAt: '2025-01-01T10:00:00.000Z',
});

describe('waiting tones', () => {
  const outgoing = { direction: 'outgoing' as const };
  it('ringback while the callee rings, the queue tone while a line call waits, nothing otherwise', () => {
    expect(waitingTone(callView({ ...outgoing, phase: 'ringback' }))).toBe('ringback');
    expect(waitingTone(callView({ ...outgoing, phase: 'calling', line: SUPPORT, queue: QUEUE_3 }))).toBe('queue');
    expect(waitingTone(callView({ ...outgoing, phase: 'calling' }))).toBeNull();
    expect(waitingTone(callView({ ...outgoing, phase: 'active', line: SUPPORT }))).toBeNull();
    expect(waitingTone(callView({ phase: 'incoming', line: SUPPORT }))).toBeNull();
    expect(waitingTone(callView({ ...outgoing, phase: 'calling', queue: QUEUE_3, endedAt: '2025-01-01T10:00:09.000Z' }))).toBeNull();
  });

  it('the queue tone is a short chime in a 6 s loop, quieter than ringback', () => {
    expect(patternDurationMs(PROGRESS_TONES.queue)).toBe(6_000);
    expect(PROGRESS_TONES.queue.loop).toBe(true);
    expect(PROGRESS_TONES.queue.gain).toBeLessThan(PROGRESS_TONES.ringback.gain);
  });

  it('the auto-answer tone plays once and ends before the call answers by itself', () => {
    expect(PROGRESS_TONES['auto-answer'].loop).toBe(false);
    expect(patternDurationMs(PROGRESS_TONES['auto-answer'])).toBeLessThan(AUTO_ANSWER_DELAY_MS);
  });
});

describe('hold and recall tones', () => {
  it('the side the other side holds hears the hold tone; not the side that holds, nor a call that rings', () => {
    expect(heldByOtherSide(snapshot([callView({ phase: 'active', remoteHeld: true, peer: ALICE })]))).toBe(callView().callId);
    expect(heldByOtherSide(snapshot([callView({ phase: 'active', remoteHeld: true, held: true })]))).toBeNull();
    expect(heldByOtherSide(snapshot([callView({ phase: 'active', held: true })]))).toBeNull();
    expect(heldByOtherSide(snapshot([callView({ phase: 'incoming', remoteHeld: true })]))).toBeNull();
  });

  it('a transfer the target declined, missed or left recalls once; one the agent cancelled or that completed does not', () => {
    expect(newRecalls([transfer('failed', 'no-answer')], new Set()).length).toBe(1);
    expect(newRecalls([transfer('cancelled', 'target-left')], new Set()).length).toBe(1);
    expect(newRecalls([transfer('failed', 'declined')], new Set(['cccccccc-cccc-4ccc-8ccc-cccccccccccc']))).toEqual([]);
    expect(newRecalls([transfer('cancelled', 'cancelled'), transfer('completed', null), transfer('ringing', null)], new Set())).toEqual([]);
  });

  it('the hold tone loops quietly; the recall plays once', () => {
    expect(PROGRESS_TONES.hold.loop).toBe(true);
    expect(PROGRESS_TONES.hold.gain).toBeLessThan(PROGRESS_TONES.ringback.gain);
    expect(PROGRESS_TONES.recall.loop).toBe(false);
  });
});
