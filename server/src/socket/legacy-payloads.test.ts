import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../shared/protocol';
import { forClient, legacyHistory, legacyOutcome } from './legacy-payloads';

const callId = '7c1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';

describe('payloads for protocol 1.2 clients', () => {
  it('maps the end reason transferred to hangup (call:ended and missed calls), and leaves other reasons alone', () => {
    expect(forClient('1.2.0', 'call:ended', { callId, reason: 'transferred' })).toEqual({ callId, reason: 'hangup' });
    expect(forClient(PROTOCOL_VERSION, 'call:ended', { callId, reason: 'transferred' })).toEqual({ callId, reason: 'transferred' });
    const same = { callId, reason: 'declined' as const };
    expect(forClient('1.2.0', 'call:ended', same)).toBe(same);
    const missed = { id: callId, callId, from: { userId: callId, username: 'ann', displayName: 'Ann' }, media: 'audio' as const, at: new Date(0).toISOString(), reason: 'transferred' as const };
    expect(forClient('1.1.0', 'missed:calls', { calls: [missed] })).toEqual({ calls: [{ ...missed, reason: 'hangup' }] });
  });

  it('does not send an older client the events added in 1.3', () => {
    const conference = { callId, conference: { active: false, parties: [], hub: callId } };
    expect(forClient('1.2.0', 'call:conference', conference)).toBeNull();
    expect(forClient(undefined, 'call:conference', conference)).toBeNull();
    expect(forClient(PROTOCOL_VERSION, 'call:conference', conference)).toBe(conference);
    const line = { lineId: callId, name: 'support', displayName: 'Support' };
    const at = new Date(0).toISOString();
    const queued = { oldCallId: callId, by: { userId: callId, username: 'ann', displayName: 'Ann' }, why: 'agent-lost' as const, queued: { callId, line, media: 'audio' as const, enqueuedAt: at, giveUpAt: at, ringUntil: at, queue: { position: 1, waiting: 1, estimate: null, at } } };
    expect(forClient('1.2.0', 'call:queued', queued)).toBeNull();
    expect(forClient(PROTOCOL_VERSION, 'call:queued', queued)).toBe(queued);
    expect(forClient('1.2.0', 'presence:changed', { userId: callId, status: 'away' })).toEqual({ userId: callId, status: 'away' });
  });

  it('maps the outcome abandoned to cancelled (a history page too, with transferred as hangup)', () => {
    expect(legacyOutcome('abandoned')).toBe('cancelled');
    expect(legacyOutcome('missed')).toBe('missed');
    const entry = { callId, direction: 'outgoing', peer: { userId: callId, username: 'support', displayName: 'Support' }, media: 'audio', startedAt: new Date(0).toISOString(), answeredAt: null, endedAt: new Date(0).toISOString(), outcome: 'abandoned', endReason: 'cancelled' } as const;
    const page = legacyHistory({ calls: [entry, { ...entry, outcome: 'answered', endReason: 'transferred' }, { ...entry, endReason: null }], nextCursor: null } as never);
    expect(page.calls.map((call) => [call.outcome, call.endReason])).toEqual([
      ['cancelled', 'cancelled'],
      ['answered', 'hangup'],
      ['cancelled', null],
    ]);
  });
});
