import type { CallOutcome, EndReason, HistoryEntry, HistoryWrapUp, LegKind, Media, TransferSummary } from '../../../shared/protocol';
import { OutcomeCode, ProtocolError } from '../../../shared/protocol';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Store } from './database';
import { transferRecords } from './transfer-records';

interface ConversationRow {
  id: string;
  started_at: string;
  seq: number;
}

interface HistoryRow {
  id: string;
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

const StoredCodes = z.array(OutcomeCode);
const StoredTags = z.array(z.string());

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

const missedExpr = (userId: string, alias = 'c') => sql`EXISTS (SELECT 1 FROM missed_calls m WHERE m.call_id = ${sql.ref(`${alias}.id`)} AND m.user_id = ${userId})`;

/**
 * A user's ended calls grouped by conversation (a transferred call's original, its leg and the call it became),
 * conversations newest first by the start of their first call, keyset-paginated on that call's (started_at,
 * insertion order): the insertion order (SQLite's rowid, Postgres's seq identity column) orders calls started in
 * the same millisecond. A call that was never transferred is its own conversation.
 */
export class HistoryRepo {
  constructor(private readonly store: Store) {}

  async page(userId: string, options: { limit: number; cursor?: string; missedOnly?: boolean }): Promise<HistoryPage> {
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    const seqOf = (alias: string) => sql.raw(this.store.dialect === 'sqlite' ? `${alias}.rowid` : `${alias}.seq`);
    const party = (alias: string) => sql`(${sql.ref(`${alias}.caller_id`)} = ${userId} OR ${sql.ref(`${alias}.callee_id`)} = ${userId}) AND ${sql.ref(`${alias}.status`)} = 'ended'`;
    const missedOnly = (alias: string) => (options.missedOnly ? sql`AND ${missedExpr(userId, alias)}` : sql``);
    // The page is a page of conversations, keyed on their first call (which never changes), so no page splits one.
    // Each conversation is represented by the user's earliest listed call in it; a call that was never transferred
    // (most of them) is its own first call, so only a transfer's later calls look anything up (the first call itself
    // may have no conversation_id: a direct call stored before it was transferred).
    const own = sql`c.conversation_id IS NULL OR c.conversation_id = c.id`;
    const earlier = sql`(o.started_at < c.started_at OR (o.started_at = c.started_at AND ${seqOf('o')} < ${seqOf('c')}))`;
    const { rows: conversations } = await sql<ConversationRow>`
      SELECT k.id, k.started_at, k.seq FROM (
        SELECT COALESCE(c.conversation_id, c.id) AS id,
               CASE WHEN ${own} THEN c.started_at ELSE (SELECT f.started_at FROM calls f WHERE f.id = c.conversation_id) END AS started_at,
               CASE WHEN ${own} THEN ${seqOf('c')} ELSE (SELECT ${seqOf('f')} FROM calls f WHERE f.id = c.conversation_id) END AS seq
        FROM calls c
        WHERE ${party('c')} ${missedOnly('c')}
          AND (${own} OR NOT EXISTS (SELECT 1 FROM calls o WHERE (o.id = c.conversation_id OR o.conversation_id = c.conversation_id) AND ${party('o')} ${missedOnly('o')} AND ${earlier}))) k
      ${after ? sql`WHERE k.started_at < ${after[0]} OR (k.started_at = ${after[0]} AND k.seq < ${after[1]})` : sql``}
      ORDER BY k.started_at DESC, k.seq DESC
      LIMIT ${options.limit + 1}`.execute(this.store.db);
    const onPage = conversations.slice(0, options.limit);
    const last = onPage[onPage.length - 1];
    const nextCursor = conversations.length > options.limit && last ? encodeCursor(last.started_at, Number(last.seq)) : null;
    if (onPage.length === 0) return { calls: [], nextCursor };
    const ids = sql.join(onPage.map((conversation) => conversation.id));
    const { rows } = await sql<HistoryRow>`
      SELECT c.id, (c.callee_id = ${userId}) AS incoming, p.id AS peer_id, p.username AS peer_username, p.display_name AS peer_display_name,
             c.media, c.outcome, c.end_reason, ${missedExpr(userId)} AS missed,
             c.started_at, c.answered_at, c.ended_at, c.ring_ms, c.talk_ms, c.conversation_id, c.parent_call_id, c.leg_kind
      FROM calls c JOIN users p ON p.id = (CASE WHEN c.caller_id = ${userId} THEN c.callee_id ELSE c.caller_id END)
      WHERE c.id IN (SELECT l.id FROM calls l WHERE l.id IN (${ids}) UNION SELECT l.id FROM calls l WHERE l.conversation_id IN (${ids}))
        AND ${party('c')} ${missedOnly('c')}
      ORDER BY c.started_at DESC, ${seqOf('c')} DESC`.execute(this.store.db);
    const callIds = rows.map((row) => row.id);
    const transfers = await this.transfersOf(callIds);
    const wrapUps = await this.wrapUpsOf(userId, callIds);
    const entries = rows.map((row) => ({ ...toEntry(row), transfer: transfers.get(row.id) ?? null, wrapUp: wrapUps.get(row.id) ?? null }));
    // Conversations in page order, each one's legs together, newest leg first.
    const rank = new Map(onPage.map((conversation, index) => [conversation.id, index]));
    const order = (entry: HistoryEntry) => rank.get(entry.conversationId ?? entry.callId) ?? 0;
    const calls = entries.sort((a, b) => order(a) - order(b));
    return { calls, nextCursor };
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
    const records = await transferRecords(this.store.db, (eb) => eb.or([eb('t.original_call_id', 'in', callIds), eb('t.leg_call_id', 'in', callIds), eb('t.new_call_id', 'in', callIds)]));
    for (const { originalCallId, legCallId, newCallId, ...summary } of records) {
      // A call keeps the latest transfer it took part in (a call can be transferred again after a cancelled try).
      for (const callId of [originalCallId, legCallId, newCallId]) if (callId) found.set(callId, summary);
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
