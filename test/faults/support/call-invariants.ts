import type { CallRow, MissedRow } from './database';

/**
 * What "every record is consistent" means for the calls and missed_calls tables, as docs/protocol.md
 * and notes/SEMANTICS.md define them. Returns the violations (empty = consistent).
 */
const MISSED_OUTCOMES = new Set(['no-answer', 'unavailable', 'cancelled', 'busy', 'missed']);

export function callRecordViolations(calls: CallRow[], missed: MissedRow[]): string[] {
  const problems: string[] = [];
  const missedByCall = new Map<string, MissedRow[]>();
  for (const row of missed) missedByCall.set(row.call_id, [...(missedByCall.get(row.call_id) ?? []), row]);
  const ids = new Set(calls.map((c) => c.id));
  for (const row of missed) if (!ids.has(row.call_id)) problems.push(`missed call ${row.id} points at no call`);

  for (const c of calls) {
    const say = (what: string) => problems.push(`call ${c.id} (${c.status}/${c.outcome}/${c.end_reason}): ${what}`);
    if (c.caller_id === c.callee_id) say('caller is callee');
    const ended = c.status === 'ended';
    if (ended !== (c.outcome !== null)) say('outcome set iff ended');
    if (ended !== (c.ended_at !== null)) say('ended_at set iff ended');
    if (ended && c.end_reason === null) say('ended without an end reason');
    const answered = c.answered_at !== null;
    if (c.status === 'active' && !answered) say('active but never answered');
    if (answered !== (c.answered_device_id !== null)) say('answered_at and answered_device_id disagree');
    if (c.outcome === 'answered' && !answered) say('outcome answered without answered_at');
    if (ended && answered && c.outcome !== 'answered') say('answered but outcome is not answered');
    if (ended && answered && (c.talk_ms === null || c.talk_ms < 0)) say('answered and ended without a talk duration');
    if (!answered && c.talk_ms !== null) say('talk duration without an answer');
    if (c.ended_at && c.ended_at < c.started_at) say('ended before it started');
    if (c.answered_at && c.answered_at < c.started_at) say('answered before it started');
    if (c.answered_at && c.ended_at && c.ended_at < c.answered_at) say('ended before it was answered');

    const rows = missedByCall.get(c.id) ?? [];
    const wantsMissed = ended && (MISSED_OUTCOMES.has(c.outcome ?? '') || (c.outcome === 'failed' && c.end_reason === 'server-restart'));
    if (wantsMissed && rows.length !== 1) say(`expected one missed-call row, found ${rows.length}`);
    if (!wantsMissed && rows.length > 0) say(`unexpected missed-call row(s): ${rows.length}`);
    for (const row of rows) if (row.user_id !== c.callee_id) say(`missed call ${row.id} belongs to ${row.user_id}, not the callee`);
  }
  return problems;
}
