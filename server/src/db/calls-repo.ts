import type { CallOutcome, EndReason, Media, MissedCall, UserIdentity } from '../../../shared/protocol';
import { commitDurably, prepared, type Db } from './database';

/** The row written when a call starts ringing. Times are ISO strings. */
export interface NewCallRow {
  callId: string;
  callerId: string;
  calleeId: string;
  callerDeviceId: string;
  media: Media;
  startedAt: string;
  /** When the ring timer ends the call unanswered. */
  ringUntil: string;
  devicesRung: string[];
}

export interface CallEnd {
  callId: string;
  outcome: CallOutcome;
  endReason: EndReason;
  endedBy: string | null;
  endedAt: string;
  ringMs: number;
  talkMs: number | null;
  devicesRung: string[];
  /** When set, a missed-call row for this user is written in the same transaction. */
  missed: { id: string; userId: string } | null;
}

/** A call that was still open (ringing or active) in the database, with both parties' identities. */
export interface OpenCallRow {
  callId: string;
  status: 'ringing' | 'active';
  caller: UserIdentity;
  callee: UserIdentity;
  callerDeviceId: string;
  answeredDeviceId: string | null;
  media: Media;
  startedAt: string;
  /** Null for calls stored before ring deadlines were. */
  ringUntil: string | null;
  answeredAt: string | null;
  devicesRung: string[];
}

interface OpenRow {
  id: string;
  status: 'ringing' | 'active';
  caller_device_id: string;
  answered_device_id: string | null;
  media: Media;
  started_at: string;
  ring_until: string | null;
  answered_at: string | null;
  devices_rung: string;
  caller_id: string;
  caller_username: string;
  caller_display_name: string;
  callee_id: string;
  callee_username: string;
  callee_display_name: string;
}

interface MissedRow {
  id: string;
  call_id: string;
  created_at: string;
  media: Media;
  end_reason: EndReason;
  caller_id: string;
  caller_username: string;
  caller_display_name: string;
}

/** SQL for the calls and missed_calls tables (history queries live in history-repo.ts). */
export class CallsRepo {
  constructor(private readonly db: Db) {}

  insertRinging(row: NewCallRow): void {
    prepared(
      this.db,
      `INSERT INTO calls (id, caller_id, callee_id, caller_device_id, devices_rung, media, status, started_at, ring_until)
       VALUES (?, ?, ?, ?, ?, ?, 'ringing', ?, ?)`,
    ).run(row.callId, row.callerId, row.calleeId, row.callerDeviceId, JSON.stringify(row.devicesRung), row.media, row.startedAt, row.ringUntil);
  }

  /** Idempotent (a retried write changes nothing twice). */
  markAnswered(callId: string, answeredDeviceId: string, answeredAt: string, devicesRung: string[]): void {
    prepared(this.db, `UPDATE calls SET status = 'active', answered_device_id = ?, answered_at = ?, devices_rung = ? WHERE id = ? AND status = 'ringing'`).run(
      answeredDeviceId,
      answeredAt,
      JSON.stringify(devicesRung),
      callId,
    );
  }

  /**
   * The final record and (if any) the missed call, committed together; a missed call durably (fsynced)
   * before this returns. Idempotent: a retried write of an ended call changes nothing.
   */
  finish(end: CallEnd): void {
    const write = () => {
      const updated = prepared(
        this.db,
        `UPDATE calls SET status = 'ended', outcome = ?, end_reason = ?, ended_by = ?, ended_at = ?, ring_ms = ?, talk_ms = ?, devices_rung = ?
         WHERE id = ? AND status <> 'ended'`,
      ).run(end.outcome, end.endReason, end.endedBy, end.endedAt, end.ringMs, end.talkMs, JSON.stringify(end.devicesRung), end.callId);
      if (end.missed && updated.changes === 1) {
        const insertMissed = prepared(this.db, 'INSERT INTO missed_calls (id, call_id, user_id, created_at) VALUES (?, ?, ?, ?)');
        insertMissed.run(end.missed.id, end.callId, end.missed.userId, end.endedAt);
      }
    };
    if (end.missed) commitDurably(this.db, write);
    else this.db.transaction(write)();
  }

  openCalls(): OpenCallRow[] {
    const rows = prepared(
      this.db,
      `SELECT c.*, a.username AS caller_username, a.display_name AS caller_display_name,
              b.username AS callee_username, b.display_name AS callee_display_name
       FROM calls c JOIN users a ON a.id = c.caller_id JOIN users b ON b.id = c.callee_id
       WHERE c.status <> 'ended'`,
    ).all() as OpenRow[];
    return rows.map((row) => ({
      callId: row.id,
      status: row.status,
      caller: { userId: row.caller_id, username: row.caller_username, displayName: row.caller_display_name },
      callee: { userId: row.callee_id, username: row.callee_username, displayName: row.callee_display_name },
      callerDeviceId: row.caller_device_id,
      answeredDeviceId: row.answered_device_id,
      media: row.media,
      startedAt: row.started_at,
      ringUntil: row.ring_until,
      answeredAt: row.answered_at,
      devicesRung: JSON.parse(row.devices_rung) as string[],
    }));
  }

  /** Unacknowledged missed calls of a user, oldest first. */
  unreadMissed(userId: string): MissedCall[] {
    const rows = prepared(
      this.db,
      `SELECT m.id, m.call_id, m.created_at, c.media, c.end_reason,
              u.id AS caller_id, u.username AS caller_username, u.display_name AS caller_display_name
       FROM missed_calls m JOIN calls c ON c.id = m.call_id JOIN users u ON u.id = c.caller_id
       WHERE m.user_id = ? AND m.read_at IS NULL
       ORDER BY m.created_at, m.id`,
    ).all(userId) as MissedRow[];
    return rows.map((row) => ({
      id: row.id,
      callId: row.call_id,
      from: { userId: row.caller_id, username: row.caller_username, displayName: row.caller_display_name },
      media: row.media,
      at: row.created_at,
      reason: row.end_reason,
    }));
  }

  /** Marks the user's own unread missed calls read; returns how many changed. */
  acknowledgeMissed(userId: string, ids: string[]): number {
    const placeholders = ids.map(() => '?').join(', ');
    return this.db
      .prepare(`UPDATE missed_calls SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (${placeholders})`)
      .run(new Date().toISOString(), userId, ...ids).changes;
  }
}
