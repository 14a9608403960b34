import type { CallOutcome, EndReason, HistoryEntry, Media } from '../../../shared/protocol';
import { ProtocolError } from '../../../shared/protocol';
import { prepared, type Db } from './database';

interface HistoryRow {
  id: string;
  seq: number;
  incoming: number;
  peer_id: string;
  peer_username: string;
  peer_display_name: string;
  media: Media;
  outcome: CallOutcome;
  end_reason: EndReason | null;
  missed: number;
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

/** A user's ended calls, newest first, keyset-paginated on (started_at, rowid): rowid orders calls started in the same millisecond. */
export class HistoryRepo {
  constructor(private readonly db: Db) {}

  page(userId: string, options: { limit: number; cursor?: string; missedOnly?: boolean }): HistoryPage {
    const after = options.cursor ? decodeCursor(options.cursor) : undefined;
    const missedExpr = 'EXISTS (SELECT 1 FROM missed_calls m WHERE m.call_id = c.id AND m.user_id = @me)';
    const rows = prepared(
      this.db,
      `SELECT c.id, c.rowid AS seq, (c.callee_id = @me) AS incoming, p.id AS peer_id, p.username AS peer_username, p.display_name AS peer_display_name,
              c.media, c.outcome, c.end_reason, ${missedExpr} AS missed,
              c.started_at, c.answered_at, c.ended_at, c.ring_ms, c.talk_ms
       FROM calls c JOIN users p ON p.id = (CASE WHEN c.caller_id = @me THEN c.callee_id ELSE c.caller_id END)
       WHERE (c.caller_id = @me OR c.callee_id = @me) AND c.status = 'ended'
         ${options.missedOnly ? `AND ${missedExpr}` : ''}
         ${after ? 'AND (c.started_at < @afterTime OR (c.started_at = @afterTime AND c.rowid < @afterSeq))' : ''}
       ORDER BY c.started_at DESC, c.rowid DESC
       LIMIT @limit`,
    ).all({ me: userId, limit: options.limit + 1, ...(after ? { afterTime: after[0], afterSeq: after[1] } : {}) }) as HistoryRow[];
    const pageRows = rows.slice(0, options.limit);
    const last = pageRows[pageRows.length - 1];
    return {
      calls: pageRows.map(toEntry),
      nextCursor: rows.length > options.limit && last ? encodeCursor(last.started_at, last.seq) : null,
    };
  }
}

function toEntry(row: HistoryRow): HistoryEntry {
  return {
    callId: row.id,
    direction: row.incoming ? 'incoming' : 'outgoing',
    peer: { userId: row.peer_id, username: row.peer_username, displayName: row.peer_display_name },
    media: row.media,
    outcome: row.outcome,
    endReason: row.end_reason,
    missed: row.missed === 1,
    startedAt: row.started_at,
    answeredAt: row.answered_at,
    endedAt: row.ended_at,
    ringMs: row.ring_ms,
    talkMs: row.talk_ms,
  };
}
