import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { TransferEndReason, type CallTransferRecord } from '../../../shared/protocol';
import type { Db, Schema } from './schema';

/** Which transfers: a condition on the `transfers` row `t`. */
export type TransferFilter = (eb: ExpressionBuilder<Schema & { t: Schema['transfers'] }, 't'>) => Expression<SqlBool>;

const RESULT: Record<string, CallTransferRecord['result']> = { completed: 'completed', cancelled: 'cancelled', failed: 'failed' };

/**
 * Transfers as call records show them (history, a line's records, the agent's wrap-up): who transferred to whom,
 * blind or consult, how it ended and the call it created; oldest first, so a caller keeping the last one per call
 * keeps the latest try (a call can be transferred again after a cancelled try; nothing follows a completed one).
 * `where` picks the transfers (one query).
 */
export async function transferRecords(db: Db, where: TransferFilter): Promise<Array<CallTransferRecord & { originalCallId: string; legCallId: string | null }>> {
  const rows = await db
    .selectFrom('transfers as t')
    .where(where)
    .innerJoin('users as b', 'b.id', 't.transferor_id')
    .innerJoin('users as g', 'g.id', 't.target_id')
    .select(['t.id', 't.kind', 't.state', 't.end_reason', 't.updated_at', 't.original_call_id', 't.leg_call_id', 't.new_call_id', 't.created_at'])
    .select(['b.id as by_id', 'b.username as by_username', 'b.display_name as by_display_name'])
    .select(['g.id as target_id', 'g.username as target_username', 'g.display_name as target_display_name'])
    .orderBy('t.created_at')
    .orderBy('t.id')
    .execute();
  return rows.map((row) => {
    const endReason = TransferEndReason.safeParse(row.end_reason);
    return {
      transferId: row.id,
      kind: row.kind,
      by: { userId: row.by_id, username: row.by_username, displayName: row.by_display_name },
      target: { userId: row.target_id, username: row.target_username, displayName: row.target_display_name },
      result: RESULT[row.state] ?? 'open',
      endReason: endReason.success ? endReason.data : null,
      at: row.updated_at,
      newCallId: row.new_call_id,
      originalCallId: row.original_call_id,
      legCallId: row.leg_call_id,
    };
  });
}

/** The latest transfer of each original call among those `where` picks (a line's records, a wrap-up). */
export async function latestTransfers(db: Db, where: TransferFilter): Promise<Map<string, CallTransferRecord>> {
  const latest = new Map<string, CallTransferRecord>();
  for (const { originalCallId, legCallId: _leg, ...record } of await transferRecords(db, where)) latest.set(originalCallId, record);
  return latest;
}
