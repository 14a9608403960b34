import { describe, expect, it } from 'vitest';
import { callRecordViolations } from './support/call-invariants';
import type { CallRow, MissedRow } from './support/database';

/** The consistency check the fault tests rely on must itself catch broken records. */

const base: CallRow = {
  id: 'c1',
  caller_id: 'u1',
  callee_id: 'u2',
  caller_device_id: 'd1',
  answered_device_id: null,
  devices_rung: '[]',
  media: 'audio',
  status: 'ended',
  outcome: 'no-answer',
  end_reason: 'no-answer',
  ended_by: null,
  started_at: '2025-01-01T00:00:00.000Z',
  answered_at: null,
  ended_at: '2025-01-01T00:01:00.000Z',
  ring_ms: 60_000,
  talk_ms: null,
};
const missedFor = (callId: string, userId = 'u2'): MissedRow => ({ id: `m-${callId}`, call_id: callId, user_id: userId, created_at: base.ended_at ?? '', read_at: null });

describe('call record invariants', () => {
  it('accepts consistent records', () => {
    const answered: CallRow = { ...base, id: 'c2', outcome: 'answered', end_reason: 'hangup', answered_at: '2025-01-01T00:00:05.000Z', answered_device_id: 'd2', talk_ms: 55_000 };
    const ringing: CallRow = { ...base, id: 'c3', status: 'ringing', outcome: null, end_reason: null, ended_at: null, ring_ms: null };
    expect(callRecordViolations([base, answered, ringing], [missedFor('c1')])).toEqual([]);
  });

  it.each([
    ['a missed outcome without its missed call', [base], []],
    ['a missed call for a declined call', [{ ...base, outcome: 'declined', end_reason: 'declined' }], [missedFor('c1')]],
    ['a missed call for the caller', [base], [missedFor('c1', 'u1')]],
    ['two missed calls for one call', [base], [missedFor('c1'), { ...missedFor('c1'), id: 'm-other' }]],
    ['a ringing call with an outcome', [{ ...base, status: 'ringing' as const }], [missedFor('c1')]],
    ['an answered call without a talk duration', [{ ...base, outcome: 'answered', end_reason: 'hangup', answered_at: base.started_at, answered_device_id: 'd2' }], []],
    ['an active call never answered', [{ ...base, status: 'active' as const, outcome: null, ended_at: null, end_reason: null }], []],
    ['a server-restart failure without its missed call', [{ ...base, outcome: 'failed', end_reason: 'server-restart' }], []],
    ['a missed call pointing at no call', [], [missedFor('nope')]],
  ] as [string, CallRow[], MissedRow[]][])('flags %s', (_what, calls, missed) => {
    expect(callRecordViolations(calls, missed).length).toBeGreaterThan(0);
  });
});
