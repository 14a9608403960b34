import type { EndWrites } from '../db/calls-repo';
import { compileOnce, dialectOf } from '../db/compiled';
import type { Db, Tx } from '../db/schema';
import type { WrapUps } from './wrap-ups';

type WrapMode = 'none' | 'optional' | 'time-boxed';

/** The wrap-up an ended call puts its agent into: whose, on which line, with which mode and time. */
export interface WrapUpDue {
  agentId: string;
  lineId: string;
  mode: Exclude<WrapMode, 'none'>;
  timeMs: number;
}

/** A line as the choice of an outbound call's wrap-up sees it. */
interface WrapLine {
  lineId: string;
  name: string;
  mode: WrapMode;
  timeMs: number;
}

/** How strict a wrap-up mode is: an agent's outbound calls take the wrap-up of its strictest line (D9). */
const WRAP_STRICTNESS = { 'time-boxed': 2, optional: 1, none: 0 } as const;

/** Strictest first: time-boxed > optional > none, then the longest wrap-up time, then the name. */
export function byWrapUpStrictness(a: WrapLine, b: WrapLine): number {
  return WRAP_STRICTNESS[b.mode] - WRAP_STRICTNESS[a.mode] || b.timeMs - a.timeMs || a.name.localeCompare(b.name);
}

/**
 * What decides a call's wrap-up, read at every call's end (so compiled once): the call's line and that line's
 * wrap-up, its kind of leg and parties, and whether each party is a member of an open line (most calls: no agent;
 * what follows the end, LineCalls.callEnded, uses the answer too).
 */
const CALL_AT_END = compileOnce((db, callId: string) =>
  db
    .selectFrom('calls as c')
    .leftJoin('lines as l', 'l.id', 'c.line_id')
    .select(['c.line_id', 'c.leg_kind', 'c.caller_id', 'c.callee_id', 'l.wrap_mode', 'l.wrap_ms'])
    .select((eb) => {
      // Whether the party in `column` is a member of an open line.
      const isAgent = (column: 'c.caller_id' | 'c.callee_id') =>
        eb.exists(eb.selectFrom('line_members as m').innerJoin('lines as ml', 'ml.id', 'm.line_id').select('m.line_id').whereRef('m.user_id', '=', column).where('ml.closed_at', 'is', null));
      return [isAgent('c.caller_id').as('caller_is_agent'), isAgent('c.callee_id').as('callee_is_agent')];
    })
    .where('c.id', '=', callId),
);

interface CallAtEnd {
  line_id: string | null;
  leg_kind: string;
  caller_id: string;
  callee_id: string;
  wrap_mode: WrapMode | null;
  wrap_ms: number | string | null;
  caller_is_agent: boolean | number | string;
  callee_is_agent: boolean | number | string;
}

/** The open lines of a member with their wrap-up (an outbound call of an agent: which one applies). */
async function wrapLinesOf(db: Db, userId: string): Promise<WrapLine[]> {
  const rows = await db
    .selectFrom('line_members as m')
    .innerJoin('lines as l', 'l.id', 'm.line_id')
    .innerJoin('users as u', 'u.id', 'm.line_id')
    .select(['l.id', 'l.wrap_mode', 'l.wrap_ms', 'u.username'])
    .where('m.user_id', '=', userId)
    .where('l.closed_at', 'is', null)
    .execute();
  return rows.map((row) => ({ lineId: row.id, name: row.username, mode: row.wrap_mode, timeMs: Number(row.wrap_ms) }));
}

/**
 * The one place that decides whether an ended call puts an agent in wrap-up, and which (docs/lines.md, Wrap-up):
 * - a line call: its agent (the callee), with the wrap-up of the line it came in on (D8);
 * - an outbound direct call placed by a member of an open line, answered or not: the caller, with the wrap-up of its
 *   strictest line (D9);
 * - anything else (a call between people, an inbound direct call to an agent, a consult or transfer leg, the call a
 *   transfer made): none.
 * `db` is the store, or the transaction the end runs in (a transfer's). Also says which parties are agents (the same read).
 */
export async function wrapUpDue(db: Db, callId: string): Promise<{ due: WrapUpDue | null; agents?: ReadonlySet<string> }> {
  const { rows } = await db.executeQuery(CALL_AT_END(dialectOf(db), db, callId));
  const call = rows[0] as CallAtEnd | undefined;
  if (!call) return { due: null };
  const agents = new Set<string>();
  if (isTrue(call.caller_is_agent)) agents.add(call.caller_id);
  if (isTrue(call.callee_is_agent)) agents.add(call.callee_id);
  return { due: await dueOf(db, call), agents };
}

async function dueOf(db: Db, call: CallAtEnd): Promise<WrapUpDue | null> {
  let line: WrapLine | undefined;
  let agentId = call.callee_id;
  if (call.line_id !== null) {
    line = call.wrap_mode ? { lineId: call.line_id, name: '', mode: call.wrap_mode, timeMs: Number(call.wrap_ms) } : undefined;
  } else if (call.leg_kind === 'direct' && isTrue(call.caller_is_agent)) {
    line = (await wrapLinesOf(db, call.caller_id)).sort(byWrapUpStrictness)[0];
    agentId = call.caller_id;
  }
  if (!line || line.mode === 'none') return null;
  return { agentId, lineId: line.lineId, mode: line.mode, timeMs: line.timeMs };
}

/** EXISTS comes back as 1/0 from SQLite and true/false from Postgres. */
const isTrue = (value: boolean | number | string) => value === true || Number(value) === 1;

/**
 * The wrap-up a call's end writes in its own transaction (CallsRepo): whoever reads after the end committed sees the
 * agent in wrap-up, never free (design D8: no dispatch can slip between the end and the wrap-up). The wrap-up's
 * timer is armed after the commit (LineCalls); its handler re-checks, and a restart re-arms it from storage.
 */
export function wrapUpOnEnd(wrapUps: WrapUps): EndWrites {
  return {
    async of(db, callId) {
      const { due, agents } = await wrapUpDue(db, callId);
      const write = due && (async (trx: Tx, at: number) => void (await wrapUps.startTx(trx, callId, due.agentId, due.lineId, due.mode, due.timeMs, at)));
      return { write, agents };
    },
  };
}
