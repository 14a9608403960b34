import { OutcomeCode, ProtocolError, WrapUpDraft, type WrapUpTask } from '../../../shared/protocol';
import type { Db, Tx } from '../db/schema';
import { latestTransfers } from '../db/transfer-records';
import { z } from 'zod';

type WrapUpRow = {
  call_id: string;
  line_id: string | null;
  mode: 'none' | 'optional' | 'time-boxed';
  notes: string;
  outcome_code: string | null;
  tags: string;
  started_at: string;
  ended_at: string | null;
  edit_until: string;
  wrap_until: string | null;
  username: string | null;
  display_name: string | null;
  outcome_codes: string | null;
  outcome_required: number | null;
};

const Codes = z.array(OutcomeCode);
const Tags = z.array(z.string());

/** After-call work rows (`call_wrapups`): the running one, saving drafts within 24 h. */
export class WrapUps {
  constructor(private readonly db: Db) {}

  private select() {
    return this.db
      .selectFrom('call_wrapups as w')
      .leftJoin('users as l', 'l.id', 'w.line_id')
      .leftJoin('lines', 'lines.id', 'w.line_id')
      .leftJoin('agent_states as a', (join) => join.onRef('a.user_id', '=', 'w.agent_id').onRef('a.wrap_call_id', '=', 'w.call_id'))
      .select(['w.call_id', 'w.line_id', 'w.mode', 'w.notes', 'w.outcome_code', 'w.tags', 'w.started_at', 'w.ended_at', 'w.edit_until'])
      .select(['a.wrap_until', 'l.username', 'l.display_name', 'lines.outcome_codes', 'lines.outcome_required']);
  }

  /** The task with its call's transfer (one query, for the one call). */
  private async withTransfer(row: WrapUpRow): Promise<WrapUpTask> {
    const transfers = await latestTransfers(this.db, (eb) => eb('t.original_call_id', '=', row.call_id));
    return { ...this.toTask(row), transfer: transfers.get(row.call_id) ?? null };
  }

  private toTask(row: WrapUpRow): WrapUpTask {
    const codes = Codes.safeParse(JSON.parse(row.outcome_codes ?? '[]'));
    const tags = Tags.safeParse(JSON.parse(row.tags));
    return {
      callId: row.call_id,
      line: row.line_id && row.username && row.display_name ? { lineId: row.line_id, name: row.username, displayName: row.display_name } : null,
      mode: row.mode,
      startedAt: row.started_at,
      until: row.wrap_until,
      endedAt: row.ended_at,
      outcomeCodes: codes.success ? codes.data : [],
      outcomeRequired: Number(row.outcome_required ?? 0) === 1,
      draft: WrapUpDraft.parse({ notes: row.notes, outcomeCode: row.outcome_code, tags: tags.success ? tags.data : [] }),
      editUntil: row.edit_until,
    };
  }

  /**
   * Inside the transaction that records the call's end (design D8, wrap-up-on-end.ts): starts the agent's wrap-up of
   * that call (once per call and agent), so no reader ever sees the call ended and the agent free. Time-boxed: the
   * agent is not routable until Done or `until` (a newer time-boxed wrap-up supersedes a running one). Returns
   * `until` for time-boxed, null otherwise; undefined when the mode is none (no row) or it already started.
   */
  async startTx(tx: Tx, callId: string, agentId: string, lineId: string, mode: 'none' | 'optional' | 'time-boxed', timeMs: number, now: number): Promise<string | null | undefined> {
    if (mode === 'none') return undefined;
    const at = new Date(now).toISOString();
    const until = mode === 'time-boxed' ? new Date(now + timeMs).toISOString() : null;
    const inserted = await tx
      .insertInto('call_wrapups')
      .values({ call_id: callId, agent_id: agentId, line_id: lineId, mode, started_at: at, updated_at: at, edit_until: new Date(now + 86_400_000).toISOString() })
      .onConflict((c) => c.columns(['call_id', 'agent_id']).doNothing())
      .returning('call_id')
      .executeTakeFirst();
    if (!inserted) return undefined;
    if (mode !== 'time-boxed') return null;
    await tx
      .updateTable('call_wrapups')
      .set({ ended_at: at, ended_by: 'superseded', updated_at: at })
      .where('agent_id', '=', agentId)
      .where('ended_at', 'is', null)
      .where('call_id', '<>', callId)
      .where('mode', '=', 'time-boxed')
      .execute();
    await tx
      .updateTable('agent_states')
      .set((eb) => ({ wrap_call_id: callId, wrap_line_id: lineId, wrap_started_at: at, wrap_until: until, version: eb('version', '+', 1) }))
      .where('user_id', '=', agentId)
      .execute();
    return until;
  }

  /** The running time-boxed wrap-ups of this call (after its end: their timers are armed). */
  async timeBoxedOf(callId: string): Promise<Array<{ agentId: string; callId: string; until: string }>> {
    const rows = await this.db.selectFrom('agent_states').select(['user_id', 'wrap_until']).where('wrap_call_id', '=', callId).execute();
    return rows.flatMap((row) => (row.wrap_until ? [{ agentId: row.user_id, callId, until: row.wrap_until }] : []));
  }

  /** Running time-boxed wrap-ups (start-up: re-arm their timers). */
  async runningTimeBoxed(): Promise<Array<{ agentId: string; callId: string; until: string }>> {
    const rows = await this.db.selectFrom('agent_states').select(['user_id', 'wrap_call_id', 'wrap_until']).where('wrap_call_id', 'is not', null).execute();
    return rows.flatMap((row) => (row.wrap_call_id && row.wrap_until ? [{ agentId: row.user_id, callId: row.wrap_call_id, until: row.wrap_until }] : []));
  }

  /** The agent's open wrap-up (newest), if any. */
  async running(agentId: string): Promise<WrapUpTask | null> {
    const row = await this.select()
      .where('w.agent_id', '=', agentId)
      .where('w.ended_at', 'is', null)
      .where('w.edit_until', '>', new Date().toISOString())
      .orderBy('w.started_at', 'desc')
      .executeTakeFirst();
    return row ? this.withTransfer(row) : null;
  }

  async find(agentId: string, callId: string): Promise<WrapUpTask | null> {
    const row = await this.select().where('w.agent_id', '=', agentId).where('w.call_id', '=', callId).executeTakeFirst();
    return row ? this.withTransfer(row) : null;
  }

  /**
   * Saves the draft of one of the agent's wrap-ups. CALL_NOT_FOUND when the agent has none for that call
   * (someone else's is the same answer: nothing leaks), EDIT_WINDOW_CLOSED after 24 h, VALIDATION_FAILED for
   * an outcome code the line does not have.
   */
  async save(agentId: string, callId: string, draft: Partial<WrapUpDraft>): Promise<WrapUpTask> {
    const task = await this.find(agentId, callId);
    if (!task) throw new ProtocolError('CALL_NOT_FOUND', 'No wrap-up of yours for this call');
    if (task.editUntil <= new Date().toISOString()) throw new ProtocolError('EDIT_WINDOW_CLOSED', 'Wrap-up notes are editable for 24 hours');
    if (draft.outcomeCode != null && !task.outcomeCodes.some((code) => code.code === draft.outcomeCode)) {
      throw new ProtocolError('VALIDATION_FAILED', `The line has no outcome code ${draft.outcomeCode}`, [{ path: 'outcomeCode', message: 'unknown outcome code' }]);
    }
    const now = new Date().toISOString();
    await this.db
      .updateTable('call_wrapups')
      .set({
        ...(draft.notes !== undefined ? { notes: draft.notes } : {}),
        ...(draft.outcomeCode !== undefined ? { outcome_code: draft.outcomeCode } : {}),
        ...(draft.tags !== undefined ? { tags: JSON.stringify(draft.tags) } : {}),
        updated_at: now,
      })
      .where('call_id', '=', callId)
      .where('agent_id', '=', agentId)
      .where('edit_until', '>', now)
      .execute();
    return (await this.find(agentId, callId)) ?? task;
  }

  /**
   * Ends the agent's wrap-up of `callId` (Done): saves the draft, checks a required outcome, ends the row and
   * frees the agent (compare-and-set on agent_states.wrap_call_id, so Done and the timer end it once).
   * Returns false when it had already ended (Done stays idempotent: the draft is still saved).
   */
  async done(agentId: string, callId: string, draft: Partial<WrapUpDraft>, endedBy: 'done' | 'timer'): Promise<boolean> {
    const task = endedBy === 'done' ? await this.save(agentId, callId, draft) : await this.find(agentId, callId);
    if (!task) return false;
    if (endedBy === 'done' && task.endedAt === null && task.outcomeRequired && task.draft.outcomeCode === null) {
      throw new ProtocolError('OUTCOME_REQUIRED', 'This line needs an outcome code before Done');
    }
    const now = new Date().toISOString();
    return this.db.transaction().execute(async (tx) => {
      const ended = await tx
        .updateTable('call_wrapups')
        .set({ ended_at: now, ended_by: endedBy, updated_at: now })
        .where('call_id', '=', callId)
        .where('agent_id', '=', agentId)
        .where('ended_at', 'is', null)
        .executeTakeFirst();
      await tx
        .updateTable('agent_states')
        .set((eb) => ({ wrap_call_id: null, wrap_line_id: null, wrap_started_at: null, wrap_until: null, idle_since: now, version: eb('version', '+', 1) }))
        .where('user_id', '=', agentId)
        .where('wrap_call_id', '=', callId)
        .execute();
      return Number(ended.numUpdatedRows) > 0;
    });
  }
}
