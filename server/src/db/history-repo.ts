import type { CallOutcome, EndReason, HistoryEntry, Media } from '../../../shared/protocol';
import { ProtocolError } from '../../../shared/protocol';
import { sql } from 'kysely';
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
}

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
             c.started_at, c.answered_at, c.ended_at, c.ring_ms, c.talk_ms
      FROM calls c JOIN users p ON p.id = (CASE WHEN c.caller_id = ${userId} THEN c.callee_id ELSE c.caller_id END)
      WHERE (c.caller_id = ${userId} OR c.callee_id = ${userId}) AND c.status = 'ended'
        ${options.missedOnly ? sql`AND ${missedExpr}` : sql``}
        ${after ? sql`AND (c.started_at < ${after[0]} OR (c.started_at = ${after[0]} AND ${seq} < ${after[1]}))` : sql``}
      ORDER BY c.started_at DESC, ${seq} DESC
      LIMIT ${options.limit + 1}`.execute(this.store.db);
    const pageRows = rows.slice(0, options.limit);
    const last = pageRows[pageRows.length - 1];
    return {
      calls: pageRows.map(toEntry),
      nextCursor: rows.length > options.limit && last ? encodeCursor(last.started_at, Number(last.seq)) : null,
    };
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
  };
}
