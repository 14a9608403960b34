import { randomUUID } from 'node:crypto';
import type { CallContext } from '../../../shared/protocol';
import type { Db, QueueEntryState, Tx } from '../db/schema';

/** One caller in a line's queue (a queue_entries row); its id is the call's id from the start. */
export interface QueueEntry {
  id: string;
  lineId: string;
  callerId: string;
  callerDeviceId: string;
  /** The caller's device dropped at this moment and its resume grace runs (null: connected, as far as storage knows). */
  callerAwaySince: string | null;
  media: 'audio' | 'video';
  state: QueueEntryState;
  enqueuedAt: string;
  giveUpAt: string;
  offerRound: number;
  offerUntil: string | null;
  /** The agent who answered (connected entries). */
  agentId: string | null;
  /** The first call of the conversation (the entry itself, unless a transfer brought the caller here). */
  conversationId: string;
  /** The call the caller was moved here from (a transfer to the line, or a failed transfer back to its front). */
  parentCallId: string | null;
  /** Who transferred the caller here, for whom: the offered agent sees it before answering. */
  context: CallContext | null;
  version: number;
}

/** A new waiting entry: a caller's invite, or (with its conversation and priority) a caller moved in from an answered call. */
export type NewEntry = Pick<QueueEntry, 'id' | 'lineId' | 'callerId' | 'callerDeviceId' | 'media' | 'enqueuedAt' | 'giveUpAt'> &
  Partial<Pick<QueueEntry, 'conversationId' | 'parentCallId' | 'context'>> & {
    /** 1: ahead of every ordinary caller (a failed transfer of a line call, or a lost agent, returns it to the front). */
    priority?: 0 | 1;
  };

/** A caller moved into a line from its answered call `from` (a transfer to the line, a failed transfer, a lost agent). */
export interface MoveIn {
  line: { lineId: string; maxWaitMs: number };
  customer: { userId: string; deviceId: string };
  from: { callId: string; conversationId: string; media: QueueEntry['media'] };
  priority: 0 | 1;
  /** What the offered agent sees (a transfer to the line: by whom, for whom); null for a caller back at the front. */
  context: CallContext | null;
  now: number;
}

/** The entry a caller moved in from an answered call waits as (same conversation, parent = the call it left). */
export const movedEntry = (move: MoveIn): NewEntry & Pick<QueueEntry, 'conversationId'> => ({
  id: randomUUID(),
  lineId: move.line.lineId,
  callerId: move.customer.userId,
  callerDeviceId: move.customer.deviceId,
  media: move.from.media,
  enqueuedAt: new Date(move.now).toISOString(),
  giveUpAt: new Date(move.now + move.line.maxWaitMs).toISOString(),
  conversationId: move.from.conversationId,
  parentCallId: move.from.callId,
  context: move.context,
  priority: move.priority,
});

/** An agent's devices an offer went to. */
export interface OfferedAgent {
  agentId: string;
  deviceIds: string[];
}

const OPEN: QueueEntryState[] = ['waiting', 'offered'];

/** A transaction step lost its compare-and-set: roll the whole transaction back. */
class Lost extends Error {}

async function lostIsNull<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Lost) return null;
    throw error;
  }
}

const toEntry = (row: {
  id: string;
  line_id: string;
  caller_id: string;
  caller_device_id: string;
  caller_away_since: string | null;
  media: 'audio' | 'video';
  state: QueueEntryState;
  enqueued_at: string;
  give_up_at: string;
  offer_round: number;
  offer_until: string | null;
  agent_id: string | null;
  conversation_id: string;
  parent_call_id: string | null;
  context: string | null;
  version: number;
}): QueueEntry => ({
  id: row.id,
  lineId: row.line_id,
  callerId: row.caller_id,
  callerDeviceId: row.caller_device_id,
  callerAwaySince: row.caller_away_since,
  media: row.media,
  state: row.state,
  enqueuedAt: row.enqueued_at,
  giveUpAt: row.give_up_at,
  offerRound: Number(row.offer_round),
  offerUntil: row.offer_until,
  agentId: row.agent_id,
  conversationId: row.conversation_id,
  parentCallId: row.parent_call_id,
  context: row.context ? (JSON.parse(row.context) as CallContext) : null,
  version: Number(row.version),
});

/** The columns every new entry row has (the caller, its device and media, when it came; its own conversation). */
const newEntryColumns = (entry: Pick<QueueEntry, 'id' | 'lineId' | 'callerId' | 'callerDeviceId' | 'media' | 'enqueuedAt'>) => ({
  id: entry.id,
  line_id: entry.lineId,
  caller_id: entry.callerId,
  caller_device_id: entry.callerDeviceId,
  media: entry.media,
  enqueued_at: entry.enqueuedAt,
  conversation_id: entry.id,
});

const ms = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/**
 * The queue's stored state (docs/design/lines-and-transfers.md 2.1, 2.2): every transition is a transaction of
 * compare-and-sets (entry state + version, an agent's `offer_entry_id IS NULL`, an offer's `outcome = 'pending'`),
 * so two nodes (or two agents) acting at once never both win; the loser's transaction rolls back and tells nobody.
 */
export class QueueRepo {
  constructor(private readonly db: Db) {}

  private entries() {
    return this.db
      .selectFrom('queue_entries')
            .select([
        'id',
        'line_id',
        'caller_id',
        'caller_device_id',
        'caller_away_since',
        'media',
        'state',
        'enqueued_at',
        'give_up_at',
        'offer_round',
        'offer_until',
        'agent_id',
        'conversation_id',
        'parent_call_id',
        'context',
        'version',
      ]);
  }

  /**
   * A new waiting entry (a caller's invite, or a caller moved in from an answered call). `maxWaiting`: false (nothing
   * written) when the line already holds that many open entries; the count and the insert run under the line row's
   * lock (Postgres; SQLite has one writer), so two invites at once cannot both take the last place.
   */
  async enqueue(entry: NewEntry, maxWaiting: number | null): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      if (maxWaiting !== null) {
        await tx.updateTable('lines').set((eb) => ({ version: eb.ref('version') })).where('id', '=', entry.lineId).execute();
        const open = await tx
          .selectFrom('queue_entries')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('line_id', '=', entry.lineId)
          .where('state', 'in', OPEN)
          .executeTakeFirst();
        if (Number(open?.n ?? 0) >= maxWaiting) return false;
      }
      await this.enqueueTx(tx, entry);
      return true;
    });
  }

  /**
   * Inside `tx`: the one insert of a waiting entry. A caller moved in from an answered call keeps its conversation
   * (`conversationId`, `parentCallId` = the call it left); `priority` 1 puts it at the front of the line.
   */
  async enqueueTx(tx: Tx, entry: NewEntry): Promise<void> {
    await tx
      .insertInto('queue_entries')
      .values({
        ...newEntryColumns(entry),
        conversation_id: entry.conversationId ?? entry.id,
        parent_call_id: entry.parentCallId ?? null,
        context: entry.context ? JSON.stringify(entry.context) : null,
        priority: entry.priority ?? 0,
        state: 'waiting',
        give_up_at: entry.giveUpAt,
      })
      .execute();
  }

  /** A caller refused at the door (no agent staffs a `reject` line): the entry and its ended call record. */
  async reject(entry: Pick<QueueEntry, 'id' | 'lineId' | 'callerId' | 'callerDeviceId' | 'media' | 'enqueuedAt'>): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('queue_entries')
        .values({
          ...newEntryColumns(entry),
          state: 'rejected',
          give_up_at: entry.enqueuedAt,
          ended_at: entry.enqueuedAt,
          end_reason: 'unavailable',
        })
        .execute();
      await this.insertEnded(tx, entry, entry.enqueuedAt, 'unavailable', 'unavailable', null);
    });
  }

  async find(id: string): Promise<QueueEntry | undefined> {
    const row = await this.entries().where('id', '=', id).executeTakeFirst();
    return row && toEntry(row);
  }

  /** The line's open entries in service order: priority, then first come. */
  async open(lineId: string): Promise<QueueEntry[]> {
    const rows = await this.entries()
      .where('line_id', '=', lineId)
      .where('state', 'in', OPEN)
      .orderBy('priority', 'desc')
      .orderBy('enqueued_at')
      .orderBy('id')
      .execute();
    return rows.map(toEntry);
  }

  /** Every open entry (start-up: re-arm their timers). */
  async allOpen(): Promise<QueueEntry[]> {
    return (await this.entries().where('state', 'in', OPEN).execute()).map(toEntry);
  }

  /** Open entries of one caller device, in the order it joined them. */
  async openOfCaller(callerId: string, deviceId: string): Promise<QueueEntry[]> {
    return (await this.entries().where('caller_id', '=', callerId).where('caller_device_id', '=', deviceId).where('state', 'in', OPEN).orderBy('enqueued_at').execute()).map(toEntry);
  }

  /**
   * The caller's device dropped, last heard from at `since` (every open entry when `caller` is null: a start of the
   * only node, whose devices are all away): the entries keep their place while the resume grace runs. Not a version
   * change: where an entry stands in the queue does not depend on it. Returns the entries now away.
   */
  async callerAway(caller: { userId: string; deviceId: string } | null, since: string): Promise<QueueEntry[]> {
    let update = this.db.updateTable('queue_entries').set({ caller_away_since: since }).where('state', 'in', OPEN);
    if (caller) update = update.where('caller_id', '=', caller.userId).where('caller_device_id', '=', caller.deviceId);
    const ids = (await update.returning('id').execute()).map((row) => row.id);
    if (ids.length === 0) return [];
    return (await this.entries().where('id', 'in', ids).where('state', 'in', OPEN).execute()).map(toEntry);
  }

  /** The caller's device is back (within the grace): its open entries are no longer away. Returns their ids. */
  async callerBack(callerId: string, deviceId: string): Promise<string[]> {
    const rows = await this.db
      .updateTable('queue_entries')
      .set({ caller_away_since: null })
      .where('caller_id', '=', callerId)
      .where('caller_device_id', '=', deviceId)
      .where('state', 'in', OPEN)
      .where('caller_away_since', 'is not', null)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /**
   * Members who may be offered `entryId` as far as storage knows: chose online, hold no offer, no time-boxed
   * wrap-up, and did not decline or miss this entry already. Longest idle first. (Devices and calls: the caller checks.)
   */
  async candidates(lineId: string, entryId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('line_members as m')
      .innerJoin('agent_states as a', 'a.user_id', 'm.user_id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select('m.user_id')
      .where('m.line_id', '=', lineId)
      .where('u.presence_choice', '=', 'online')
      .where('a.offer_entry_id', 'is', null)
      .where('a.wrap_call_id', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('line_offers as o')
              .select('o.agent_id')
              .where('o.entry_id', '=', entryId)
              .whereRef('o.agent_id', '=', 'm.user_id')
              .where('o.outcome', 'in', ['declined', 'timed-out']),
          ),
        ),
      )
      .orderBy('a.idle_since')
      .orderBy('m.user_id')
      .execute();
    return rows.map((row) => row.user_id);
  }

  /**
   * One offer round: reserves each agent (an agent holds at most one offer), moves the entry waiting -> offered
   * (its version must not have moved), and records the offers. Returns the agents it reserved, or null when the
   * entry moved on or no agent could be reserved (nothing written).
   */
  async startRound(entry: QueueEntry, agents: readonly OfferedAgent[], offeredAt: string, offerUntil: string): Promise<{ round: number; agents: OfferedAgent[] } | null> {
    return lostIsNull(() =>
      this.db.transaction().execute(async (tx) => {
        if (agents.length === 0) throw new Lost();
        // One statement for every agent of the round (a ring-all round on a 200-agent line is 200 agents): each row
        // is reserved only while it holds no offer and no wrap-up, as one compare-and-set per row.
        const won = await tx
          .updateTable('agent_states')
          .set((eb) => ({ offer_entry_id: entry.id, version: eb('version', '+', 1) }))
          .where('user_id', 'in', agents.map((agent) => agent.agentId))
          .where('offer_entry_id', 'is', null)
          .where('wrap_call_id', 'is', null)
          .returning('user_id')
          .execute();
        const wonIds = new Set(won.map((row) => row.user_id));
        const reserved = agents.filter((agent) => wonIds.has(agent.agentId));
        if (reserved.length === 0) throw new Lost();
        const moved = await tx
          .updateTable('queue_entries')
          .set((eb) => ({ state: 'offered', offer_round: eb('offer_round', '+', 1), offer_until: offerUntil, version: eb('version', '+', 1) }))
          .where('id', '=', entry.id)
          .where('state', '=', 'waiting')
          .where('version', '=', entry.version)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new Lost();
        const round = entry.offerRound + 1;
        await tx
          .insertInto('line_offers')
          .values(reserved.map((agent) => ({ entry_id: entry.id, agent_id: agent.agentId, round, device_ids: JSON.stringify(agent.deviceIds), offered_at: offeredAt, outcome: 'pending' as const, ended_at: null })))
          .onConflict((c) =>
            c.columns(['entry_id', 'agent_id']).doUpdateSet((eb) => ({
              round: eb.ref('excluded.round'),
              device_ids: eb.ref('excluded.device_ids'),
              offered_at: eb.ref('excluded.offered_at'),
              outcome: eb.ref('excluded.outcome'),
              ended_at: eb.ref('excluded.ended_at'),
            })),
          )
          .execute();
        return { round, agents: reserved };
      }),
    );
  }

  /** The pending offer of this entry to this agent, with the devices it went to. */
  async pendingOffer(entryId: string, agentId: string): Promise<OfferedAgent | null> {
    const row = await this.db
      .selectFrom('line_offers')
      .select(['agent_id', 'device_ids'])
      .where('entry_id', '=', entryId)
      .where('agent_id', '=', agentId)
      .where('outcome', '=', 'pending')
      .executeTakeFirst();
    return row ? { agentId: row.agent_id, deviceIds: JSON.parse(row.device_ids) as string[] } : null;
  }

  /** How this entry's offer to the agent ended (or 'pending'), with its devices; null if never offered. */
  async offerOutcome(entryId: string, agentId: string): Promise<{ outcome: string; deviceIds: string[] } | null> {
    const row = await this.db.selectFrom('line_offers').select(['outcome', 'device_ids']).where('entry_id', '=', entryId).where('agent_id', '=', agentId).executeTakeFirst();
    return row ? { outcome: row.outcome, deviceIds: JSON.parse(row.device_ids) as string[] } : null;
  }

  async pendingOffers(entryId: string): Promise<OfferedAgent[]> {
    const rows = await this.db.selectFrom('line_offers').select(['agent_id', 'device_ids']).where('entry_id', '=', entryId).where('outcome', '=', 'pending').execute();
    return rows.map((row) => ({ agentId: row.agent_id, deviceIds: JSON.parse(row.device_ids) as string[] }));
  }

  /** Ends the pending offers of an entry as `outcome`, frees their agents, and returns them (inside `tx`). */
  private async endOffers(tx: Tx, entryId: string, outcome: 'answered-elsewhere' | 'caller-left' | 'timed-out', at: string, except?: string): Promise<OfferedAgent[]> {
    let query = tx.selectFrom('line_offers').select(['agent_id', 'device_ids']).where('entry_id', '=', entryId).where('outcome', '=', 'pending');
    if (except) query = query.where('agent_id', '<>', except);
    const rows = await query.execute();
    let update = tx.updateTable('line_offers').set({ outcome, ended_at: at }).where('entry_id', '=', entryId).where('outcome', '=', 'pending');
    if (except) update = update.where('agent_id', '<>', except);
    await update.execute();
    await tx
      .updateTable('agent_states')
      .set((eb) => ({ offer_entry_id: null, version: eb('version', '+', 1) }))
      .where('offer_entry_id', '=', entryId)
      .execute();
    return rows.map((row) => ({ agentId: row.agent_id, deviceIds: JSON.parse(row.device_ids) as string[] }));
  }

  /**
   * An offered agent's device answers: entry offered -> connected while this agent's offer is pending, every
   * other pending offer answered-elsewhere, the agents freed, and the answered call row written, all at once.
   * Null when it lost (answered elsewhere, timed out, the caller left).
   */
  async accept(entry: QueueEntry, agentId: string, deviceId: string, at: string): Promise<{ others: OfferedAgent[]; devicesRung: string[] } | null> {
    return lostIsNull(() =>
      this.db.transaction().execute(async (tx) => {
        const moved = await tx
          .updateTable('queue_entries')
          .set((eb) => ({ state: 'connected', agent_id: agentId, agent_device_id: deviceId, connected_at: at, offer_until: null, version: eb('version', '+', 1) }))
          .where('id', '=', entry.id)
          .where('state', '=', 'offered')
          .where((eb) =>
            eb.exists(eb.selectFrom('line_offers').select('agent_id').where('entry_id', '=', entry.id).where('agent_id', '=', agentId).where('outcome', '=', 'pending')),
          )
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new Lost();
        const mine = await tx.selectFrom('line_offers').select('device_ids').where('entry_id', '=', entry.id).where('agent_id', '=', agentId).executeTakeFirstOrThrow();
        await tx.updateTable('line_offers').set({ outcome: 'accepted', ended_at: at }).where('entry_id', '=', entry.id).where('agent_id', '=', agentId).execute();
        const others = await this.endOffers(tx, entry.id, 'answered-elsewhere', at);
        const devicesRung = JSON.parse(mine.device_ids) as string[];
        await tx
          .insertInto('calls')
          .values({
            id: entry.id,
            caller_id: entry.callerId,
            callee_id: agentId,
            caller_device_id: entry.callerDeviceId,
            answered_device_id: deviceId,
            devices_rung: JSON.stringify(devicesRung),
            media: entry.media,
            status: 'active',
            started_at: entry.enqueuedAt,
            answered_at: at,
            line_id: entry.lineId,
            conversation_id: entry.conversationId,
            parent_call_id: entry.parentCallId,
            leg_kind: 'line',
          })
          .execute();
        return { others, devicesRung };
      }),
    );
  }

  /**
   * The agent's offer ends without an answer (declined, or withdrawn: the agent became unavailable). When no
   * offer of the round is left pending, the entry waits again. Null when the offer was no longer pending.
   */
  async endOffer(entry: QueueEntry, agentId: string, outcome: 'declined' | 'withdrawn', at: string): Promise<{ deviceIds: string[]; waitingAgain: boolean } | null> {
    return lostIsNull(() =>
      this.db.transaction().execute(async (tx) => {
        const offer = await tx.selectFrom('line_offers').select('device_ids').where('entry_id', '=', entry.id).where('agent_id', '=', agentId).where('outcome', '=', 'pending').executeTakeFirst();
        const ended = await tx
          .updateTable('line_offers')
          .set({ outcome, ended_at: at })
          .where('entry_id', '=', entry.id)
          .where('agent_id', '=', agentId)
          .where('outcome', '=', 'pending')
          .executeTakeFirst();
        if (!offer || Number(ended.numUpdatedRows) !== 1) throw new Lost();
        await tx
          .updateTable('agent_states')
          .set((eb) => ({ offer_entry_id: null, version: eb('version', '+', 1) }))
          .where('user_id', '=', agentId)
          .where('offer_entry_id', '=', entry.id)
          .execute();
        const left = await tx.selectFrom('line_offers').select('agent_id').where('entry_id', '=', entry.id).where('outcome', '=', 'pending').execute();
        let waitingAgain = false;
        if (left.length === 0) {
          const back = await tx
            .updateTable('queue_entries')
            .set((eb) => ({ state: 'waiting', offer_until: null, version: eb('version', '+', 1) }))
            .where('id', '=', entry.id)
            .where('state', '=', 'offered')
            .executeTakeFirst();
          waitingAgain = Number(back.numUpdatedRows) === 1;
        }
        return { deviceIds: JSON.parse(offer.device_ids) as string[], waitingAgain };
      }),
    );
  }

  /**
   * The round's offer timeout: entry offered -> waiting (only round `round`), its pending offers timed out, and
   * those agents set away with the reason missed-offer (only if they still chose online). Null when the round had already ended.
   */
  async timeOut(entryId: string, round: number, at: string): Promise<OfferedAgent[] | null> {
    return lostIsNull(() =>
      this.db.transaction().execute(async (tx) => {
        const back = await tx
          .updateTable('queue_entries')
          .set((eb) => ({ state: 'waiting', offer_until: null, version: eb('version', '+', 1) }))
          .where('id', '=', entryId)
          .where('state', '=', 'offered')
          .where('offer_round', '=', round)
          .executeTakeFirst();
        if (Number(back.numUpdatedRows) !== 1) throw new Lost();
        const missed = await this.endOffers(tx, entryId, 'timed-out', at);
        if (missed.length > 0) {
          await tx
            .updateTable('users')
            .set({ presence_choice: 'away', presence_reason: 'missed-offer', presence_since: at })
            .where(
              'id',
              'in',
              missed.map((agent) => agent.agentId),
            )
            .where('presence_choice', '=', 'online')
            .execute();
        }
        return missed;
      }),
    );
  }

  /**
   * The caller leaves (cancel) or is lost: an open entry becomes abandoned, its offers end caller-left, and the
   * call is recorded ended 'abandoned'. Null when the entry was no longer open.
   */
  async abandon(entry: QueueEntry, endReason: 'cancelled', at: string): Promise<OfferedAgent[] | null> {
    return this.endOpen(entry, 'abandoned', at, endReason, 'abandoned', ['waiting', 'offered']);
  }

  /**
   * The caller's device that dropped at `since` did not come back within the grace: abandoned as of `since` (its last
   * sign of life). Null when the entry moved on or the caller came back (or dropped again later: a newer grace runs).
   */
  async abandonLost(entry: QueueEntry, since: string): Promise<OfferedAgent[] | null> {
    return this.endOpen(entry, 'abandoned', since, 'connection-lost', 'abandoned', ['waiting', 'offered'], since);
  }

  /** Max wait: a waiting entry (not while an offer rings) ends timed-out, recorded 'no-answer'. */
  async giveUp(entry: QueueEntry, at: string): Promise<OfferedAgent[] | null> {
    return this.endOpen(entry, 'timed-out', at, 'no-answer', 'no-answer', ['waiting']);
  }

  private endOpen(
    entry: QueueEntry,
    state: 'abandoned' | 'timed-out',
    at: string,
    endReason: 'cancelled' | 'connection-lost' | 'no-answer',
    outcome: 'abandoned' | 'no-answer',
    from: QueueEntryState[],
    awaySince?: string,
  ): Promise<OfferedAgent[] | null> {
    return lostIsNull(() =>
      this.db.transaction().execute(async (tx) => {
        const ended = await tx
          .updateTable('queue_entries')
          .set((eb) => ({ state, ended_at: at, end_reason: endReason, offer_until: null, version: eb('version', '+', 1) }))
          .where('id', '=', entry.id)
          .where('state', 'in', from)
          .$if(awaySince !== undefined, (update) => update.where('caller_away_since', '=', awaySince ?? ''))
          .executeTakeFirst();
        if (Number(ended.numUpdatedRows) !== 1) throw new Lost();
        const offered = await this.endOffers(tx, entry.id, 'caller-left', at);
        await this.insertEnded(tx, entry, at, outcome, endReason, endReason === 'cancelled' ? entry.callerId : null);
        return offered;
      }),
    );
  }

  /** The record of a line call that ended without an agent (callee: the line). */
  private async insertEnded(
    tx: Tx,
    entry: Pick<QueueEntry, 'id' | 'lineId' | 'callerId' | 'callerDeviceId' | 'media' | 'enqueuedAt'> & Partial<Pick<QueueEntry, 'conversationId' | 'parentCallId'>>,
    at: string,
    outcome: string,
    endReason: string,
    endedBy: string | null,
  ): Promise<void> {
    await tx
      .insertInto('calls')
      .values({
        id: entry.id,
        caller_id: entry.callerId,
        callee_id: entry.lineId,
        caller_device_id: entry.callerDeviceId,
        media: entry.media,
        status: 'ended',
        outcome,
        end_reason: endReason,
        ended_by: endedBy,
        started_at: entry.enqueuedAt,
        ended_at: at,
        ring_ms: ms(entry.enqueuedAt, at),
        line_id: entry.lineId,
        conversation_id: entry.conversationId ?? entry.id,
        parent_call_id: entry.parentCallId ?? null,
        leg_kind: 'line',
      })
      .execute();
  }

  /**
   * The line's callers that left the queue (answered, abandoned, timed out) since `since`: when each had joined and
   * when it left. Every open entry that joined before one of them moved up a place when it left.
   */
  async leftSince(lineId: string, since: string): Promise<Array<{ enqueuedAt: string; leftAt: string }>> {
    const rows = await this.db
      .selectFrom('queue_entries')
      .select((eb) => ['enqueued_at', eb.fn.coalesce('connected_at', 'ended_at').as('left_at')])
      .where('line_id', '=', lineId)
      .where('state', 'not in', OPEN)
      .where((eb) => eb(eb.fn.coalesce('connected_at', 'ended_at'), '>=', since))
      .execute();
    return rows.flatMap((row) => (row.left_at ? [{ enqueuedAt: row.enqueued_at, leftAt: row.left_at }] : []));
  }

  /** Mean handle time (talk, in ms) of the line's last 20 answered calls of the last 7 days; null without any. */
  async recentHandleMs(lineId: string, since: string): Promise<number | null> {
    const rows = await this.db
      .selectFrom('calls')
      .select('talk_ms')
      .where('line_id', '=', lineId)
      .where('status', '=', 'ended')
      .where('outcome', '=', 'answered')
      .where('started_at', '>=', since)
      .where('talk_ms', 'is not', null)
      .orderBy('started_at', 'desc')
      .limit(20)
      .execute();
    if (rows.length === 0) return null;
    return rows.reduce((sum, row) => sum + Number(row.talk_ms), 0) / rows.length;
  }
}
