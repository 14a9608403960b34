import { CallOutcome, EndReason, type LineRecord, type LineRef } from '../../../shared/protocol';
import type { Db } from '../db/schema';
import { latestTransfers } from '../db/transfer-records';
import type { StoredLine } from './line-repo';
import { startOfDate } from './line-view';

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The records export of a line: one row per caller who entered its queue, with the agent's wrap-up. */
export class LineRecords {
  constructor(private readonly db: Db) {}

  async between(line: StoredLine, from: string, to: string): Promise<{ line: LineRef; from: string; to: string; records: LineRecord[] }> {
    const start = startOfDate(line.timeZone, from).toISOString();
    const end = startOfDate(line.timeZone, nextDay(to)).toISOString();
    const rows = await this.db
      .selectFrom('queue_entries as e')
      .innerJoin('users as caller', 'caller.id', 'e.caller_id')
      .leftJoin('users as agent', 'agent.id', 'e.agent_id')
      .leftJoin('calls as c', 'c.id', 'e.id')
      .leftJoin('call_wrapups as w', (join) => join.onRef('w.call_id', '=', 'e.id').onRef('w.agent_id', '=', 'e.agent_id'))
      .select(['e.id', 'e.media', 'e.state', 'e.enqueued_at', 'e.connected_at', 'e.ended_at as entry_ended_at', 'e.end_reason as entry_end_reason'])
      .select(['caller.id as caller_id', 'caller.username as caller_username', 'caller.display_name as caller_display'])
      .select(['agent.id as agent_id', 'agent.username as agent_username', 'agent.display_name as agent_display'])
      .select(['c.outcome', 'c.end_reason', 'c.ended_at', 'c.talk_ms'])
      .select(['w.notes', 'w.outcome_code', 'w.tags', 'w.ended_by'])
      .where('e.line_id', '=', line.lineId)
      .where('e.enqueued_at', '>=', start)
      .where('e.enqueued_at', '<', end)
      .orderBy('e.enqueued_at')
      .orderBy('e.id')
      .limit(50_000)
      .execute();
    const transfers = await latestTransfers(this.db, (eb) =>
      eb('t.original_call_id', 'in', eb.selectFrom('queue_entries as q').select('q.id').where('q.line_id', '=', line.lineId).where('q.enqueued_at', '>=', start).where('q.enqueued_at', '<', end)),
    );
    const labels = new Map(line.outcomeCodes.map((code) => [code.code, code.label]));
    const records = rows.map((row): LineRecord => {
      const outcome = CallOutcome.safeParse(row.outcome ?? (row.state === 'abandoned' ? 'abandoned' : row.state === 'connected' ? 'answered' : 'no-answer'));
      const endReason = EndReason.safeParse(row.end_reason ?? row.entry_end_reason);
      const waitUntil = row.connected_at ?? row.entry_ended_at;
      const tags = row.tags ? (JSON.parse(row.tags) as unknown) : [];
      return {
        callId: row.id,
        caller: { userId: row.caller_id, username: row.caller_username, displayName: row.caller_display },
        agent: row.agent_id && row.agent_username && row.agent_display ? { userId: row.agent_id, username: row.agent_username, displayName: row.agent_display } : null,
        media: row.media,
        outcome: outcome.success ? outcome.data : 'failed',
        endReason: endReason.success ? endReason.data : null,
        enqueuedAt: row.enqueued_at,
        connectedAt: row.connected_at,
        endedAt: row.ended_at ?? row.entry_ended_at,
        waitMs: waitUntil ? Math.max(0, Date.parse(waitUntil) - Date.parse(row.enqueued_at)) : null,
        talkMs: row.talk_ms === null ? null : Number(row.talk_ms),
        wrapUp:
          row.notes === null
            ? null
            : {
                notes: row.notes,
                outcomeCode: row.outcome_code,
                outcomeLabel: row.outcome_code ? (labels.get(row.outcome_code) ?? row.outcome_code) : null,
                tags: Array.isArray(tags) ? tags.map(String) : [],
                outcomeMissing: line.outcomeRequired && row.outcome_code === null && row.ended_by !== null,
              },
        transfer: transfers.get(row.id) ?? null,
      };
    });
    return { line: { lineId: line.lineId, name: line.name, displayName: line.displayName }, from, to, records };
  }

  /** RFC 4180 CSV; a cell starting with = + - @ (or a tab/CR) gets a leading ' so no spreadsheet runs it as a formula. */
  toCsv(records: readonly LineRecord[]): string {
    const header = ['callId', 'enqueuedAt', 'connectedAt', 'endedAt', 'caller', 'agent', 'media', 'outcome', 'endReason', 'waitMs', 'talkMs', 'wrapUpOutcome', 'wrapUpNotes', 'wrapUpTags', 'transferKind', 'transferTo', 'transferResult', 'transferEndReason', 'transferNewCallId'];
    const lines = records.map((r) =>
      [
        r.callId,
        r.enqueuedAt,
        r.connectedAt ?? '',
        r.endedAt ?? '',
        r.caller.username,
        r.agent?.username ?? '',
        r.media,
        r.outcome,
        r.endReason ?? '',
        r.waitMs ?? '',
        r.talkMs ?? '',
        r.wrapUp?.outcomeCode ?? '',
        r.wrapUp?.notes ?? '',
        r.wrapUp?.tags.join(' ') ?? '',
        r.transfer?.kind ?? '',
        r.transfer?.target.username ?? '',
        r.transfer?.result ?? '',
        r.transfer?.endReason ?? '',
        r.transfer?.newCallId ?? '',
      ].map(csvCell),
    );
    return [header, ...lines].map((cells) => cells.join(',')).join('\r\n') + '\r\n';
  }
}

export function csvCell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
