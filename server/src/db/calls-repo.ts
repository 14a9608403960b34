import type { CallOutcome, EndReason, Media, MissedCall, UserIdentity } from '../../../shared/protocol';
import { sql, type RawBuilder } from 'kysely';
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
  /** The state the call must still be in for this end to win (compare-and-set). */
  from: 'ringing' | 'active';
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
  /** Rung devices that declined. */
  declined: string[];
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

async function insertDevices(db: Db, callId: string, deviceIds: readonly string[]): Promise<void> {
  if (deviceIds.length === 0) return;
  await db
    .insertInto('call_devices')
    .values(deviceIds.map((deviceId) => ({ call_id: callId, device_id: deviceId })))
    .onConflict((conflict) => conflict.columns(['call_id', 'device_id']).doNothing())
    .execute();
}

const OPEN_CALLS = sql`
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

  /** The call row and the devices it rings on, together. */
  async insertRinging(row: NewCallRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
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
      await insertDevices(trx, row.callId, row.devicesRung);
    });
  }

  /** More devices the call rings on (pushed phones, a device that connects while it rings); known ones are kept as they are. */
  async addDevices(callId: string, deviceIds: readonly string[]): Promise<void> {
    await insertDevices(this.db, callId, deviceIds);
  }

  /**
   * The answer, as one compare-and-set: it wins only while the call rings and still rings on this device
   * (not declined). Exactly one of any number of concurrent answers, from any node, gets true.
   */
  async answer(callId: string, answeredDeviceId: string, answeredAt: string, devicesRung: string[]): Promise<boolean> {
    const result = await this.db
      .updateTable('calls')
      .set((eb) => ({
        status: 'active',
        answered_device_id: answeredDeviceId,
        answered_at: answeredAt,
        devices_rung: JSON.stringify(devicesRung),
        version: eb('version', '+', 1),
      }))
      .where('id', '=', callId)
      .where('status', '=', 'ringing')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('call_devices')
            .select('device_id')
            .where('call_id', '=', callId)
            .where('device_id', '=', answeredDeviceId)
            .where('declined_at', 'is', null),
        ),
      )
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * A device declines (compare-and-set on its row). `declined`: this call changed it; `ringing`: how many
   * devices the call still rings on, so exactly one decline (the last) sees 0.
   */
  async decline(callId: string, deviceId: string, at: string): Promise<{ declined: boolean; ringing: number }> {
    return this.db.transaction().execute(async (trx) => {
      const changed = await trx
        .updateTable('call_devices')
        .set({ declined_at: at })
        .where('call_id', '=', callId)
        .where('device_id', '=', deviceId)
        .where('declined_at', 'is', null)
        .executeTakeFirst();
      const left = await trx
        .selectFrom('call_devices')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('call_id', '=', callId)
        .where('declined_at', 'is', null)
        .executeTakeFirstOrThrow();
      return { declined: changed.numUpdatedRows === 1n, ringing: Number(left.n) };
    });
  }

  /**
   * The end, as one compare-and-set from `end.from`: the final record and (if any) the missed call, committed
   * together, a missed call durably (fsynced) before this returns. True when this end won; false when the call
   * had already moved on (answered, or ended by someone else): then nothing is written, so a retried or
   * concurrent end never records a second missed call.
   */
  async finish(end: CallEnd): Promise<boolean> {
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
          version: sql<number>`version + 1`,
        })
        .where('id', '=', end.callId)
        .where('status', '=', end.from)
        .executeTakeFirst();
      const won = updated.numUpdatedRows === 1n;
      if (end.missed && won) {
        await trx.insertInto('missed_calls').values({ id: end.missed.id, call_id: end.callId, user_id: end.missed.userId, created_at: end.endedAt }).execute();
      }
      return won;
    };
    return end.missed ? this.store.durably(write) : this.db.transaction().execute(write);
  }

  /** Every call still ringing or answered (start-up recovery). */
  async openCalls(): Promise<OpenCallRow[]> {
    return this.open(sql``);
  }

  /** One open call by id (a node that did not place it, acting on it); undefined once ended or unknown. */
  async findOpen(callId: string): Promise<OpenCallRow | undefined> {
    return (await this.open(sql`AND c.id = ${callId}`))[0];
  }

  /** The open calls a user takes part in (a device of theirs connecting to a node that may not know them). */
  async openCallsOf(userId: string): Promise<OpenCallRow[]> {
    return this.open(sql`AND (c.caller_id = ${userId} OR c.callee_id = ${userId})`);
  }

  private async open(filter: RawBuilder<unknown>): Promise<OpenCallRow[]> {
    const { rows } = await sql<OpenRow>`${OPEN_CALLS} ${filter}`.execute(this.db);
    const ids = rows.map((row) => row.id);
    const devices = ids.length === 0 ? [] : await this.db.selectFrom('call_devices').selectAll().where('call_id', 'in', ids).execute();
    const of = (callId: string) => devices.filter((device) => device.call_id === callId);
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
      // Rows made before call_devices existed have only the JSON list.
      devicesRung: of(row.id).length > 0 ? of(row.id).map((device) => device.device_id) : (JSON.parse(row.devices_rung) as string[]),
      declined: of(row.id).flatMap((device) => (device.declined_at ? [device.device_id] : [])),
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
