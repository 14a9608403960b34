import { sql } from 'kysely';
import type { LiveLeg, TransferEndReason, TransferMode, TransferState } from '../../../shared/protocol';
import { compileOnce, dialectOf } from '../db/compiled';
import type { Store } from '../db/database';
import type { Db, TransfersTable, Tx } from '../db/schema';

/** A transfers row as the service uses it. */
export interface TransferRow {
  id: string;
  originalCallId: string;
  conversationId: string;
  kind: TransferMode;
  transferorId: string;
  transferorDevice: string;
  customerId: string;
  customerDevice: string;
  targetId: string;
  legCallId: string | null;
  newCallId: string | null;
  state: TransferState;
  liveLeg: LiveLeg;
  autoComplete: boolean;
  completedBy: 'transferor' | 'system' | null;
  endReason: TransferEndReason | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
  version: number;
}

export const OPEN_STATES = ['ringing', 'consulting', 'merged'] as const satisfies readonly TransferState[];
export type OpenState = (typeof OPEN_STATES)[number];

/** The open transfer a call is the original or the leg of: read at every call's end, so compiled once. */
const OPEN_OF_CALL = compileOnce((db, callId: string) =>
  db
    .selectFrom('transfers')
    .selectAll()
    .where('state', 'in', OPEN_STATES)
    .where((eb) => eb.or([eb('original_call_id', '=', callId), eb('leg_call_id', '=', callId)])),
);

/** What one compare-and-set changes. */
export interface TransferChange {
  state?: TransferState;
  liveLeg?: LiveLeg;
  autoComplete?: boolean;
  completedBy?: 'transferor' | 'system';
  endReason?: TransferEndReason;
  newCallId?: string;
  legCallId?: string;
}

type Row = { [K in keyof TransfersTable]: TransfersTable[K] extends { __select__: infer S } ? S : TransfersTable[K] };

function fromRow(row: Row): TransferRow {
  return {
    id: row.id,
    originalCallId: row.original_call_id,
    conversationId: row.conversation_id,
    kind: row.kind,
    transferorId: row.transferor_id,
    transferorDevice: row.transferor_device,
    customerId: row.customer_id,
    customerDevice: row.customer_device,
    targetId: row.target_id,
    legCallId: row.leg_call_id,
    newCallId: row.new_call_id,
    state: row.state,
    liveLeg: row.live_leg,
    autoComplete: Number(row.auto_complete) === 1,
    completedBy: row.completed_by,
    endReason: row.end_reason as TransferEndReason | null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    endedAt: row.ended_at,
    version: Number(row.version),
  };
}

/** A unique-index violation (SQLite and Postgres): another open transfer of the same call won. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

const FINAL: ReadonlySet<TransferState> = new Set(['completed', 'cancelled', 'failed']);

/**
 * The transfers table. Every state change is one compare-and-set naming the states it may start from (and, for
 * swap, the version read), so two nodes, or a client and a timer, never both win a transition.
 */
export class TransferRepo {
  private readonly db: Db;

  constructor(store: Store) {
    this.db = store.db;
  }

  /** Inserts an open transfer; false when the call already has one (the unique index decides, on any node). */
  async insertOpen(row: Omit<TransferRow, 'newCallId' | 'completedBy' | 'endReason' | 'endedAt' | 'version' | 'updatedAt'>): Promise<boolean> {
    try {
      await this.db
        .insertInto('transfers')
        .values({
          id: row.id,
          original_call_id: row.originalCallId,
          conversation_id: row.conversationId,
          kind: row.kind,
          transferor_id: row.transferorId,
          transferor_device: row.transferorDevice,
          customer_id: row.customerId,
          customer_device: row.customerDevice,
          target_id: row.targetId,
          leg_call_id: row.legCallId,
          state: row.state,
          live_leg: row.liveLeg,
          auto_complete: row.autoComplete ? 1 : 0,
          created_at: row.createdAt,
          updated_at: row.createdAt,
        })
        .execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async find(id: string): Promise<TransferRow | undefined> {
    const row = await this.db.selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row as Row);
  }

  /** The open transfer a call takes part in (as the original or as the leg). */
  async openOfCall(callId: string, trx?: Tx): Promise<TransferRow | undefined> {
    const db = trx ?? this.db;
    const [row] = (await db.executeQuery(OPEN_OF_CALL(dialectOf(db), db, callId))).rows;
    return row && fromRow(row as Row);
  }

  /** The transfer whose leg this call is (in any state). */
  async ofLeg(callId: string, trx?: Tx): Promise<TransferRow | undefined> {
    const row = await (trx ?? this.db).selectFrom('transfers').selectAll().where('leg_call_id', '=', callId).executeTakeFirst();
    return row && fromRow(row as Row);
  }

  /** Open transfers a device started (session:ready). */
  async openOfTransferor(userId: string, deviceId: string): Promise<TransferRow[]> {
    const rows = await this.db
      .selectFrom('transfers')
      .selectAll()
      .where('state', 'in', OPEN_STATES)
      .where('transferor_id', '=', userId)
      .where('transferor_device', '=', deviceId)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => fromRow(row as Row));
  }

  /** Transfers of the given conversations, oldest first (history). */
  async ofConversations(conversationIds: readonly string[]): Promise<TransferRow[]> {
    if (conversationIds.length === 0) return [];
    const rows = await this.db.selectFrom('transfers').selectAll().where('conversation_id', 'in', conversationIds).orderBy('created_at').execute();
    return rows.map((row) => fromRow(row as Row));
  }

  /**
   * One compare-and-set: applies `change` when the transfer is in one of `from` (and at `version`, when given).
   * Inside `trx` when given (it then commits with the caller's other writes). True: this change won.
   */
  async cas(id: string, from: readonly TransferState[], change: TransferChange, options: { trx?: Tx; version?: number; at: string }): Promise<boolean> {
    const db = options.trx ?? this.db;
    let query = db
      .updateTable('transfers')
      .set({
        ...(change.state ? { state: change.state } : {}),
        ...(change.liveLeg ? { live_leg: change.liveLeg } : {}),
        ...(change.autoComplete !== undefined ? { auto_complete: change.autoComplete ? 1 : 0 } : {}),
        ...(change.completedBy ? { completed_by: change.completedBy } : {}),
        ...(change.endReason ? { end_reason: change.endReason } : {}),
        ...(change.newCallId ? { new_call_id: change.newCallId } : {}),
        ...(change.legCallId ? { leg_call_id: change.legCallId } : {}),
        ...(change.state && FINAL.has(change.state) ? { ended_at: options.at } : {}),
        updated_at: options.at,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', id)
      .where('state', 'in', from);
    if (options.version !== undefined) query = query.where('version', '=', options.version);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
