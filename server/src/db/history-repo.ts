import type { CallOutcome, EndReason, HistoryEntry, HistoryWrapUp, LegKind, Media, TransferSummary } from '../../../shared/protocol';
import { OutcomeCode, ProtocolError } from '../../../shared/protocol';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Store } from './database';

interface HistoryRow {
  id: string;
  seq: number;
  incoming: number | boolean;
  peer_id: string;
  peer_username: string;
  peer_display_name: string;
  media: Media;
  outcome: CallOutcome;
  end_reason: EndReason | null;
  missed: number | boolean;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  ring_ms: number | null;
  talk_ms: number | null;
  conversation_id: string | null;
  parent_call_id: string | null;
  leg_kind: LegKind;
}

interface TransferSummaryRow {
  id: string;
  kind: TransferSummary['kind'];
  state: string;
  end_reason: TransferSummary['endReason'];
  updated_at: string;
  original_call_id: string;
  leg_call_id: string | null;
  new_call_id: string | null;
  by_id: string;
  by_username: string;
  by_display_name: string;
  target_id: string;
  target_username: string;
  target_display_name: string;
}

const StoredCodes = z.array(OutcomeCode);
const StoredTags = z.array(z.string());

const RESULT: Record<string, TransferSummary['result']> = { completed: 'completed', cancelled: 'cancelled', failed: 'failed' };

export interface HistoryPage {
  calls: HistoryEntry[];
  nextCursor: string | null;
}

const encodeCursor = (startedAt: string, seq: number) => Buffer.from(JSON.stringify([startedAt, seq])).toString('base64url');

function decodeCursor(cursor: string): [string, number] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && Number.isSafeInteger(value[1])) return value as [string, number];
  } catch {
    // fall through
  }
  throw new ProtocolError('VALIDATION_FAILED', 'Invalid cursor', [{ path: 'cursor', message: 'not a cursor from this API' }]);
}

/**
 * A user's ended calls, newest first, keyset-paginated on (started_at, insertion order): the insertion order
 * (SQLite's rowid, Postgres's seq identity column) orders calls started in the same millisecond.
 */
export class HistoryRepo {
  constructor(private readonly store: Store) {}

  async page(userId: string, options: { limit: number; cursor?: string; missedOnly?: boolean }): Promise<HistoryPage> {
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    const seq = sql.raw(this.store.dialect === 'sqlite' ? 'c.rowid' : 'c.seq');
    const missedExpr = sql`EXISTS (SELECT 1 FROM missed_calls m WHERE m.call_id = c.id AND m.user_id = ${userId})`;
    const { rows } = await sql<HistoryRow>`
      SELECT c.id, ${seq} AS seq, (c.callee_id = ${userId}) AS incoming, p.id AS peer_id, p.username AS peer_username, p.display_name AS peer_display_name,
             c.media, c.outcome, c.end_reason, ${missedExpr} AS missed,
             c.started_at, c.answered_at, c.ended_at, c.ring_ms, c.talk_ms, c.conversation_id, c.parent_call_id, c.leg_kind
      FROM calls c JOIN users p ON p.id = (CASE WHEN c.caller_id = ${userId} THEN c.callee_id ELSE c.caller_id END)
      WHERE (c.caller_id = ${userId} OR c.callee_id = ${userId}) AND c.status = 'ended'
        ${options.missedOnly ? sql`AND ${missedExpr}` : sql``}
        ${after ? sql`AND (c.started_at < ${after[0]} OR (c.started_at = ${after[0]} AND ${seq} < ${after[1]}))` : sql``}
      ORDER BY c.started_at DESC, ${seq} DESC
      LIMIT ${options.limit + 1}`.execute(this.store.db);
    const pageRows = rows.slice(0, options.limit);
    const last = pageRows[pageRows.length - 1];
    const transfers = await this.transfersOf(pageRows.map((row) => row.id));
    const wrapUps = await this.wrapUpsOf(userId, pageRows.map((row) => row.id));
    return {
      calls: pageRows.map((row) => ({ ...toEntry(row), transfer: transfers.get(row.id) ?? null, wrapUp: wrapUps.get(row.id) ?? null })),
      nextCursor: rows.length > options.limit && last ? encodeCursor(last.started_at, Number(last.seq)) : null,
    };
  }

  /** The user's own wrap-ups of these calls (notes, outcome, tags): one query per page; other agents' never. */
  private async wrapUpsOf(userId: string, callIds: string[]): Promise<Map<string, HistoryWrapUp>> {
    const found = new Map<string, HistoryWrapUp>();
    if (callIds.length === 0) return found;
    const rows = await this.store.db
      .selectFrom('call_wrapups as w')
      .leftJoin('users as l', 'l.id', 'w.line_id')
      .leftJoin('lines', 'lines.id', 'w.line_id')
      .select(['w.call_id', 'w.line_id', 'w.notes', 'w.outcome_code', 'w.tags', 'w.edit_until', 'l.username', 'l.display_name', 'lines.outcome_codes'])
      .where('w.agent_id', '=', userId)
      .where('w.call_id', 'in', callIds)
      .execute();
    for (const row of rows) {
      const codes = StoredCodes.safeParse(JSON.parse(row.outcome_codes ?? '[]'));
      const tags = StoredTags.safeParse(JSON.parse(row.tags));
      const code = row.outcome_code;
      found.set(row.call_id, {
        line: row.line_id && row.username && row.display_name ? { lineId: row.line_id, name: row.username, displayName: row.display_name } : null,
        notes: row.notes,
        outcomeCode: code,
        outcomeLabel: code === null ? null : ((codes.success ? codes.data : []).find((c) => c.code === code)?.label ?? code),
        tags: tags.success ? tags.data : [],
        editUntil: row.edit_until,
      });
    }
    return found;
  }

  /** The transfer each call took part in (as its original, its leg, or the call it created): one query per page. */
  private async transfersOf(callIds: string[]): Promise<Map<string, TransferSummary>> {
    const found = new Map<string, TransferSummary>();
    if (callIds.length === 0) return found;
    const ids = sql.join(callIds);
    const { rows } = await sql<TransferSummaryRow>`
      SELECT t.id, t.kind, t.state, t.end_reason, t.updated_at, t.original_call_id, t.leg_call_id, t.new_call_id,
             b.id AS by_id, b.username AS by_username, b.display_name AS by_display_name,
             g.id AS target_id, g.username AS target_username, g.display_name AS target_display_name
      FROM transfers t JOIN users b ON b.id = t.transferor_id JOIN users g ON g.id = t.target_id
      WHERE t.original_call_id IN (${ids}) OR t.leg_call_id IN (${ids}) OR t.new_call_id IN (${ids})
      ORDER BY t.created_at`.execute(this.store.db);
    for (const row of rows) {
      const summary: TransferSummary = {
        transferId: row.id,
        kind: row.kind,
        by: { userId: row.by_id, username: row.by_username, displayName: row.by_display_name },
        target: { userId: row.target_id, username: row.target_username, displayName: row.target_display_name },
        result: RESULT[row.state] ?? 'open',
        endReason: row.end_reason,
        at: row.updated_at,
      };
      // A call keeps the latest transfer it took part in (a call can be transferred again after a cancelled try).
      for (const callId of [row.original_call_id, row.leg_call_id, row.new_call_id]) if (callId) found.set(callId, summary);
    }
    return found;
  }
}

/** SQLite answers a comparison with 1/0, Postgres with true/false. */
const truthy = (value: number | boolean) => value === true || value === 1;

function toEntry(row: HistoryRow): HistoryEntry {
  return {
    callId: row.id,
    direction: truthy(row.incoming) ? 'incoming' : 'outgoing',
    peer: { userId: row.peer_id, username: row.peer_username, displayName: row.peer_display_name },
    media: row.media,
    outcome: row.outcome,
    endReason: row.end_reason,
    missed: truthy(row.missed),
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    ringMs: row.ring_ms,
    talkMs: row.talk_ms,
    conversationId: row.conversation_id ?? row.id,
    legKind: row.leg_kind,
    parentCallId: row.parent_call_id,
    transfer: null,
  };
}
