import type { CallOutcome, EndReason, Media, MissedCall, UserIdentity } from '../../../shared/protocol';
import { sql } from 'kysely';
import type { Store } from './database';
import type { Db } from './schema';

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

const OPEN_CALLS = sql<OpenRow>`
  SELECT c.id, c.status, c.caller_device_id, c.answered_device_id, c.media, c.started_at, c.ring_until, c.answered_at, c.devices_rung,
         a.id AS caller_id, a.username AS caller_username, a.display_name AS caller_display_name,
         b.id AS callee_id, b.username AS callee_username, b.display_name AS callee_display_name
  FROM calls c JOIN users a ON a.id = c.caller_id JOIN users b ON b.id = c.callee_id
  WHERE c.status <> 'ended'`;

/** Queries on the calls and missed_calls tables (history queries live in history-repo.ts). */
export class CallsRepo {
  private readonly db: Db;

  constructor(private readonly store: Store) {
    this.db = store.db;
  }

  async insertRinging(row: NewCallRow): Promise<void> {
    await this.db
      .insertInto('calls')
      .values({
        id: row.callId,
        caller_id: row.callerId,
        callee_id: row.calleeId,
        caller_device_id: row.callerDeviceId,
        devices_rung: JSON.stringify(row.devicesRung),
        media: row.media,
        status: 'ringing',
        started_at: row.startedAt,
        ring_until: row.ringUntil,
      })
      .execute();
  }

  /** Idempotent (a retried write changes nothing twice). */
  async markAnswered(callId: string, answeredDeviceId: string, answeredAt: string, devicesRung: string[]): Promise<void> {
    await this.db
      .updateTable('calls')
      .set({ status: 'active', answered_device_id: answeredDeviceId, answered_at: answeredAt, devices_rung: JSON.stringify(devicesRung) })
      .where('id', '=', callId)
      .where('status', '=', 'ringing')
      .execute();
  }

  /**
   * The final record and (if any) the missed call, committed together; a missed call durably (fsynced)
   * before this returns. Idempotent: a retried write of an ended call changes nothing.
   */
  async finish(end: CallEnd): Promise<void> {
    const write = async (trx: Db) => {
      const updated = await trx
        .updateTable('calls')
        .set({
          status: 'ended',
          outcome: end.outcome,
          end_reason: end.endReason,
          ended_by: end.endedBy,
          ended_at: end.endedAt,
          ring_ms: end.ringMs,
          talk_ms: end.talkMs,
          devices_rung: JSON.stringify(end.devicesRung),
        })
        .where('id', '=', end.callId)
        .where('status', '<>', 'ended')
        .executeTakeFirst();
      if (end.missed && updated.numUpdatedRows === 1n) {
        await trx.insertInto('missed_calls').values({ id: end.missed.id, call_id: end.callId, user_id: end.missed.userId, created_at: end.endedAt }).execute();
      }
    };
    if (end.missed) await this.store.durably(write);
    else await this.db.transaction().execute(write);
  }

  async openCalls(): Promise<OpenCallRow[]> {
    const { rows } = await OPEN_CALLS.execute(this.db);
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
  async unreadMissed(userId: string): Promise<MissedCall[]> {
    const { rows } = await sql<MissedRow>`
      SELECT m.id, m.call_id, m.created_at, c.media, c.end_reason,
             u.id AS caller_id, u.username AS caller_username, u.display_name AS caller_display_name
      FROM missed_calls m JOIN calls c ON c.id = m.call_id JOIN users u ON u.id = c.caller_id
      WHERE m.user_id = ${userId} AND m.read_at IS NULL
      ORDER BY m.created_at, m.id`.execute(this.db);
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
  async acknowledgeMissed(userId: string, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.db
      .updateTable('missed_calls')
      .set({ read_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .where('id', 'in', ids)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
