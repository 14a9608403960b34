import type { CallContext, CallOutcome, EndReason, Media, MissedCall, UserIdentity } from '../../../shared/protocol';
import { sql, type RawBuilder } from 'kysely';
import { changed, compileOnce } from './compiled';
import type { Store } from './database';
import type { Db, Tx } from './schema';

/** How a call row is linked into a conversation (a transfer's legs). Absent: a direct call, its own conversation. */
export interface CallLinks {
  conversationId: string;
  parentCallId: string | null;
  legKind: 'direct' | 'consult' | 'transfer' | 'transferred';
}

/** Thrown inside a transaction to roll it back when a step after the first compare-and-set loses. */
class Rollback extends Error {}

/** Runs `work` in one transaction; false (and nothing written) when it returns false. */
export async function allOrNothing(db: Db, work: (trx: Tx) => Promise<boolean>): Promise<boolean> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await work(trx))) throw new Rollback();
      return true;
    });
  } catch (error) {
    if (error instanceof Rollback) return false;
    throw error;
  }
}

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
  links?: CallLinks;
}

/** A call row written directly as answered (the call that replaces a transferred one). */
export interface NewAnsweredRow {
  callId: string;
  callerId: string;
  calleeId: string;
  callerDeviceId: string;
  answeredDeviceId: string;
  media: Media;
  at: string;
  links: CallLinks;
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
  /** When the end is recorded (ms; default now): what the end starts with it (an agent's wrap-up) starts then. */
  recordedAt?: number;
  /**
   * Set by `finish` when the end was recorded: which of the two parties are agents (members of an open line), as the
   * end's own read found them (EndWrites), so what follows the end need not ask again. Absent: not known.
   */
  agents?: ReadonlySet<string>;
}

/**
 * Writes that must commit in the same transaction as a call's end, once its compare-and-set won (the lines module: the
 * agent's wrap-up, so nothing ever reads the call ended and the agent free; design D8).
 */
export interface EndWrites {
  /**
   * Read before the end (`db`: the store, or the transaction the end runs in): what it must also write (`write`; null:
   * nothing), and which of the call's parties are agents (`agents`; undefined: not read).
   */
  of(db: Db, callId: string): Promise<{ write: ((trx: Tx, at: number) => Promise<void>) | null; agents?: ReadonlySet<string> }>;
}

/** No writes with the end (a store without lines). */
export const NO_END_WRITES: EndWrites = { of: () => Promise.resolve({ write: null }) };

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
  /** Since when the caller's / the answering callee device's signalling is away, if it is (cluster). */
  callerAwaySince: string | null;
  calleeAwaySince: string | null;
  conversationId: string;
  legKind: CallLinks['legKind'];
  /** Users holding the call for an open transfer (the transferor, on the leg that is not live). */
  heldBy: string[];
  /** For an open transfer's leg: what its target sees before answering. */
  context: CallContext | null;
}

export type CallSide = 'caller' | 'callee';

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
  caller_away_since: string | null;
  callee_away_since: string | null;
  caller_id: string;
  caller_username: string;
  caller_display_name: string;
  callee_id: string;
  callee_username: string;
  callee_display_name: string;
  conversation_id: string | null;
  leg_kind: string;
}

interface OpenTransferRow {
  kind: 'blind' | 'consult';
  original_call_id: string;
  leg_call_id: string | null;
  live_leg: 'original' | 'leg' | 'both';
  transferor_id: string;
  customer_id: string;
  customer_username: string;
  customer_display_name: string;
}

/**
 * What an open transfer means for one of its calls when a node loads it (restart, another node): the transferor
 * holds the leg that is not live, and the leg's target sees who transfers (the leg's caller) for whom.
 */
function transferStateOf(row: OpenRow, transfers: readonly OpenTransferRow[]): { heldBy: string[]; context: CallContext | null } {
  const transfer = transfers.find((t) => t.original_call_id === row.id || t.leg_call_id === row.id);
  if (!transfer) return { heldBy: [], context: null };
  const isLeg = transfer.leg_call_id === row.id;
  const held = isLeg ? transfer.live_leg === 'original' : transfer.live_leg === 'leg';
  const context: CallContext | null = isLeg
    ? {
        kind: transfer.kind === 'blind' ? 'transfer' : 'consult',
        by: { userId: row.caller_id, username: row.caller_username, displayName: row.caller_display_name },
        for: { userId: transfer.customer_id, username: transfer.customer_username, displayName: transfer.customer_display_name },
      }
    : null;
  return { heldBy: held ? [transfer.transferor_id] : [], context };
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

// The statements of every call (the hot path), compiled once: see compiled.ts.
const INSERT_CALL = compileOnce(
  (db, id: string, callerId: string, calleeId: string, callerDeviceId: string, devicesRung: string, media: Media, startedAt: string, ringUntil: string) =>
    (db as Db).insertInto('calls').values({
      id,
      caller_id: callerId,
      callee_id: calleeId,
      caller_device_id: callerDeviceId,
      devices_rung: devicesRung,
      media,
      status: 'ringing',
      started_at: startedAt,
      ring_until: ringUntil,
    }),
);

const INSERT_DEVICE = compileOnce((db, callId: string, deviceId: string) =>
  (db as Db)
    .insertInto('call_devices')
    .values({ call_id: callId, device_id: deviceId })
    .onConflict((conflict) => conflict.columns(['call_id', 'device_id']).doNothing()),
);

const ANSWER = compileOnce((db, callId: string, deviceId: string, answeredAt: string, devicesRung: string) =>
  (db as Db)
    .updateTable('calls')
    .set({ status: 'active', answered_device_id: deviceId, answered_at: answeredAt, devices_rung: devicesRung, version: sql<number>`version + 1` })
    .where('id', '=', callId)
    .where('status', '=', 'ringing')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('call_devices').select('device_id').where('call_id', '=', callId).where('device_id', '=', deviceId).where('declined_at', 'is not', null))),
    ),
);

const FINISH = compileOnce(
  (
    db,
    callId: string,
    from: 'ringing' | 'active',
    outcome: string,
    endReason: string,
    endedBy: string | null,
    endedAt: string,
    ringMs: number,
    talkMs: number | null,
    devicesRung: string,
  ) =>
    (db as Db)
      .updateTable('calls')
      .set({
        status: 'ended',
        outcome,
        end_reason: endReason,
        ended_by: endedBy,
        ended_at: endedAt,
        ring_ms: ringMs,
        talk_ms: talkMs,
        devices_rung: devicesRung,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', callId)
      .where('status', '=', from),
);

const INSERT_MISSED = compileOnce((db, id: string, callId: string, userId: string, createdAt: string) =>
  (db as Db).insertInto('missed_calls').values({ id, call_id: callId, user_id: userId, created_at: createdAt }),
);

const OPEN_CALLS = sql`
  SELECT c.id, c.status, c.caller_device_id, c.answered_device_id, c.media, c.started_at, c.ring_until, c.answered_at, c.devices_rung,
         c.caller_away_since, c.callee_away_since, c.conversation_id, c.leg_kind,
         a.id AS caller_id, a.username AS caller_username, a.display_name AS caller_display_name,
         b.id AS callee_id, b.username AS callee_username, b.display_name AS callee_display_name
  FROM calls c JOIN users a ON a.id = c.caller_id JOIN users b ON b.id = c.callee_id
  WHERE c.status <> 'ended'`;

/** Queries on the calls and missed_calls tables (history queries live in history-repo.ts). */
export class CallsRepo {
  private readonly db: Db;

  constructor(
    private readonly store: Store,
    private readonly endWrites: EndWrites = NO_END_WRITES,
  ) {
    this.db = store.db;
  }

  /** The call row, with the devices it rings on at the start (devices_rung); one statement. */
  async insertRinging(row: NewCallRow): Promise<void> {
    await this.store.commitOne(INSERT_CALL(this.store.dialect, this.db, row.callId, row.callerId, row.calleeId, row.callerDeviceId, JSON.stringify(row.devicesRung), row.media, row.startedAt, row.ringUntil));
    if (row.links) await this.link(this.db, row.callId, row.links);
  }

  /** Links a call row into its conversation (a transfer's leg). */
  private async link(db: Db, callId: string, links: CallLinks): Promise<void> {
    await db
      .updateTable('calls')
      .set({ conversation_id: links.conversationId, parent_call_id: links.parentCallId, leg_kind: links.legKind })
      .where('id', '=', callId)
      .execute();
  }

  /** Several writes that commit together or not at all (false from `work`: rolled back). */
  allOrNothing(work: (trx: Tx) => Promise<boolean>): Promise<boolean> {
    return allOrNothing(this.db, work);
  }

  /** Inside a transaction: a call row written as answered at once (the call a completed transfer creates). */
  async insertAnswered(trx: Tx, row: NewAnsweredRow): Promise<void> {
    await trx
      .insertInto('calls')
      .values({
        id: row.callId,
        caller_id: row.callerId,
        callee_id: row.calleeId,
        caller_device_id: row.callerDeviceId,
        answered_device_id: row.answeredDeviceId,
        devices_rung: JSON.stringify([row.answeredDeviceId]),
        media: row.media,
        status: 'active',
        started_at: row.at,
        answered_at: row.at,
        ring_ms: 0,
        conversation_id: row.links.conversationId,
        parent_call_id: row.links.parentCallId,
        leg_kind: row.links.legKind,
      })
      .execute();
  }

  /** Inside a transaction: the end of an answered call as a compare-and-set (true: it won). */
  async finishTx(trx: Tx, end: Omit<CallEnd, 'missed'>): Promise<boolean> {
    const also = (await this.endWrites.of(trx, end.callId)).write;
    const updated = await trx.executeQuery(FINISH(this.store.dialect, this.db, end.callId, end.from, end.outcome, end.endReason, end.endedBy, end.endedAt, end.ringMs, end.talkMs, JSON.stringify(end.devicesRung)));
    if (changed(updated) !== 1) return false;
    await also?.(trx, end.recordedAt ?? Date.now());
    return true;
  }

  /** The conversation a stored call belongs to (its own id for a call that was never transferred). */
  async linksOf(callId: string): Promise<CallLinks | undefined> {
    const row = await this.db.selectFrom('calls').select(['id', 'conversation_id', 'parent_call_id', 'leg_kind']).where('id', '=', callId).executeTakeFirst();
    return row && { conversationId: row.conversation_id ?? row.id, parentCallId: row.parent_call_id, legKind: row.leg_kind === 'line' ? 'direct' : row.leg_kind };
  }

  /** More devices the call rings on (pushed phones, a device that connects while it rings); known ones are kept as they are. */
  async addDevices(callId: string, deviceIds: readonly string[]): Promise<void> {
    for (const deviceId of deviceIds) await this.db.executeQuery(INSERT_DEVICE(this.store.dialect, this.db, callId, deviceId));
  }

  /**
   * The answer, as one compare-and-set: it wins only while the call rings and this device has not declined it
   * (that it rings there at all, the caller checked on its copy of the call). Exactly one of any number of concurrent answers, from any node, gets true.
   */
  async answer(callId: string, answeredDeviceId: string, answeredAt: string, devicesRung: string[], inTx?: (trx: Tx) => Promise<boolean>): Promise<boolean> {
    const update = ANSWER(this.store.dialect, this.db, callId, answeredDeviceId, answeredAt, JSON.stringify(devicesRung));
    if (!inTx) return changed(await this.store.commitOne(update)) === 1;
    // With a hook (a transfer leg): the answer and the hook's compare-and-set commit together, or neither.
    return allOrNothing(this.db, async (trx) => changed(await trx.executeQuery(update)) === 1 && inTx(trx));
  }

  /**
   * A device declines: a compare-and-set on its call_devices row (`declined`: this decline changed it), and, in
   * the same transaction, how many devices the call still rings on (those rung at the start and added since,
   * less the declined), so exactly one decline, the last, sees 0.
   */
  async decline(callId: string, deviceId: string, at: string): Promise<{ declined: boolean; ringing: number }> {
    return this.db.transaction().execute(async (trx) => {
      const changedRow = await trx
        .insertInto('call_devices')
        .values({ call_id: callId, device_id: deviceId, declined_at: at })
        .onConflict((conflict) => conflict.columns(['call_id', 'device_id']).doUpdateSet({ declined_at: at }).where('call_devices.declined_at', 'is', null))
        .executeTakeFirst();
      const call = await trx.selectFrom('calls').select('devices_rung').where('id', '=', callId).executeTakeFirst();
      const rows = await trx.selectFrom('call_devices').select(['device_id', 'declined_at']).where('call_id', '=', callId).execute();
      const rung = new Set([...(call ? (JSON.parse(call.devices_rung) as string[]) : []), ...rows.map((row) => row.device_id)]);
      rows.forEach((row) => row.declined_at && rung.delete(row.device_id));
      return { declined: Number(changedRow.numInsertedOrUpdatedRows ?? 0n) === 1, ringing: rung.size };
    });
  }

  /**
   * The end, as one compare-and-set from `end.from`: the final record, (if any) the missed call and what `endWrites`
   * adds (an agent's wrap-up), committed together, a missed call durably (fsynced) before this returns. True when this
   * end won; false when the call had already moved on (answered, or ended by someone else): then nothing is written,
   * so a retried or concurrent end never records a second missed call or wrap-up.
   */
  async finish(end: CallEnd): Promise<boolean> {
    const { dialect } = this.store;
    const update = FINISH(dialect, this.db, end.callId, end.from, end.outcome, end.endReason, end.endedBy, end.endedAt, end.ringMs, end.talkMs, JSON.stringify(end.devicesRung));
    const { missed } = end;
    const { write: also, agents } = await this.endWrites.of(this.db, end.callId);
    // One statement needs no transaction of its own (it shares a commit with others); with the missed call it
    // is one durable transaction, with only a wrap-up one ordinary transaction.
    const work = async (trx: Tx) => {
      const won = changed(await trx.executeQuery(update)) === 1;
      if (won && missed) await trx.executeQuery(INSERT_MISSED(dialect, this.db, missed.id, end.callId, missed.userId, end.endedAt));
      if (won) await also?.(trx, end.recordedAt ?? Date.now());
      return won;
    };
    const won = !missed && !also ? changed(await this.store.commitOne(update)) === 1 : await (missed ? this.store.durably(work) : this.db.transaction().execute(work));
    if (won && agents) end.agents = agents;
    return won;
  }

  /** Every call still ringing or answered (start-up recovery). */
  async openCalls(): Promise<OpenCallRow[]> {
    return this.open(sql``);
  }

  /** One open call by id (a node that did not place it, acting on it); undefined once ended or unknown. */
  async findOpen(callId: string): Promise<OpenCallRow | undefined> {
    return (await this.open(sql`AND c.id = ${callId}`))[0];
  }

  /** Calls still ringing whose ring deadline passed before `before` (ISO): the shared store's safety net. */
  async overdueRinging(before: string): Promise<OpenCallRow[]> {
    return this.open(sql`AND c.status = 'ringing' AND c.ring_until < ${before}`);
  }

  /**
   * Since when a participant's signalling is away (`at`), or that it is back (null): what the database sweep of
   * resume graces reads when the grace timer was lost. A no-op once the call ended.
   */
  async markAway(callId: string, side: CallSide, at: string | null): Promise<void> {
    await this.db
      .updateTable('calls')
      .set(side === 'caller' ? { caller_away_since: at } : { callee_away_since: at })
      .where('id', '=', callId)
      .where('status', '<>', 'ended')
      .execute();
  }

  /** Open calls with a participant away since before `before` (ISO): the grace sweep's candidates. */
  async overdueAway(before: string): Promise<OpenCallRow[]> {
    return this.open(sql`AND (c.caller_away_since < ${before} OR c.callee_away_since < ${before})`);
  }

  /** Removes the per-device rows of calls that ended (they matter only while a call is open); returns how many. */
  async purgeEndedCallDevices(): Promise<number> {
    const result = await this.db
      .deleteFrom('call_devices')
      // Walks call_devices (open and recently ended calls only), not the whole call history.
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('calls').select('id').whereRef('calls.id', '=', 'call_devices.call_id').where('calls.status', '<>', 'ended'))),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The open calls a user takes part in (a device of theirs connecting to a node that may not know them). */
  async openCallsOf(userId: string): Promise<OpenCallRow[]> {
    return this.open(sql`AND (c.caller_id = ${userId} OR c.callee_id = ${userId})`);
  }

  /** Which of these users take part in an answered call (presence read on a node that may not know their calls). */
  async inAnsweredCalls(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('calls')
      .select(['caller_id', 'callee_id'])
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('caller_id', 'in', userIds), eb('callee_id', 'in', userIds)]))
      .execute();
    const wanted = new Set(userIds);
    return new Set(rows.flatMap((row) => [row.caller_id, row.callee_id]).filter((userId) => wanted.has(userId)));
  }

  private async open(filter: RawBuilder<unknown>): Promise<OpenCallRow[]> {
    const { rows } = await sql<OpenRow>`${OPEN_CALLS} ${filter}`.execute(this.db);
    const ids = rows.map((row) => row.id);
    const devices = ids.length === 0 ? [] : await this.db.selectFrom('call_devices').selectAll().where('call_id', 'in', ids).execute();
    const of = (callId: string) => devices.filter((device) => device.call_id === callId);
    const transfers = await this.openTransfersOf(ids);
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
      // Rung at the invite (the JSON list), and added since (rows).
      devicesRung: [...new Set([...(JSON.parse(row.devices_rung) as string[]), ...of(row.id).map((device) => device.device_id)])],
      declined: of(row.id).flatMap((device) => (device.declined_at ? [device.device_id] : [])),
      callerAwaySince: row.caller_away_since,
      calleeAwaySince: row.callee_away_since,
      conversationId: row.conversation_id ?? row.id,
      legKind: row.leg_kind === 'line' ? 'direct' : (row.leg_kind as CallLinks['legKind']),
      ...transferStateOf(row, transfers),
    }));
  }

  /** The open transfers these calls take part in, with the customer's identity (a leg's context names them). */
  private async openTransfersOf(callIds: string[]): Promise<OpenTransferRow[]> {
    if (callIds.length === 0) return [];
    return this.db
      .selectFrom('transfers as t')
      .innerJoin('users as u', 'u.id', 't.customer_id')
      .select(['t.kind', 't.original_call_id', 't.leg_call_id', 't.live_leg', 't.transferor_id', 'u.id as customer_id', 'u.username as customer_username', 'u.display_name as customer_display_name'])
      .where('t.state', 'in', ['ringing', 'consulting', 'merged'])
      .where((eb) => eb.or([eb('t.original_call_id', 'in', callIds), eb('t.leg_call_id', 'in', callIds)]))
      .execute();
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
