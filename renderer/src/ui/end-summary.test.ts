import { describe, expect, it } from 'vitest';
import type { CallView } from '../../../shared/phone/api';
import { callView } from '../../../shared/testing/fixtures';
import { endSummary, isSilentEnd, isUnplacedCall } from './end-summary';

const call = (patch: Partial<CallView>): CallView =>
  callView({ direction: 'outgoing', phase: 'ended', endedAt: '2025-01-01T10:00:09.000Z', endReason: 'hangup', ...patch });

describe('end-of-call summary, from this side', () => {
  it.each([
    ['cancelled', 'outgoing', 'youCancelled', null, 'ended'],
    ['cancelled', 'incoming', 'missedFrom', null, 'missed'],
    ['no-answer', 'outgoing', 'noAnswer', null, 'ended'],
    ['no-answer', 'incoming', 'missedFrom', null, 'missed'],
    ['declined', 'outgoing', 'peerDeclined', null, 'ended'],
    ['declined', 'incoming', 'youDeclined', null, 'ended'],
    ['busy', 'outgoing', 'peerBusy', 'inAnotherCall', 'ended'],
    ['busy', 'incoming', 'missedFrom', 'youWereBusy', 'missed'],
    ['dnd', 'outgoing', 'peerDnd', null, 'ended'],
    ['dnd', 'incoming', 'missedFrom', 'dndWasOn', 'missed'],
    ['media-failed', 'incoming', 'dropped', 'mediaFailed', 'problem'],
    ['connection-lost', 'outgoing', 'dropped', 'connectionLost', 'problem'],
    ['transferred', 'incoming', 'transferred', null, 'ended'],
  ] as const)('%s (%s): %s', (endReason, direction, title, detail, tone) => {
    expect(endSummary(call({ endReason, direction }))).toEqual({ title, detail, tone });
  });

  it('says who hung up', () => {
    expect(endSummary(call({ endedBy: 'me' })).detail).toBe('youHungUp');
    expect(endSummary(call({ endedBy: 'peer' })).detail).toBe('peerHungUp');
    expect(endSummary(call({ endedBy: null })).detail).toBeNull();
  });

  it('shows nothing for a call a transfer replaced, nor for the consult leg of a completed transfer', () => {
    const leg = '30000000-0000-4000-8000-000000000003';
    expect(isSilentEnd(call({ endReason: 'transferred', replacedBy: leg }), new Set())).toBe(true);
    expect(isSilentEnd(call({ callId: leg, endReason: 'transferred' }), new Set([leg]))).toBe(true);
    expect(isSilentEnd(call({ endReason: 'transferred' }), new Set([leg]))).toBe(false);
    expect(isSilentEnd(call({ callId: leg, endReason: 'hangup' }), new Set([leg]))).toBe(false);
  });

  it('knows a call the server never saw', () => {
    expect(isUnplacedCall(call({ callId: 'local-AAAAAAAAAAAAAAAAAAAAAA' }))).toBe(true);
    expect(isUnplacedCall(call({}))).toBe(false);
  });
});
