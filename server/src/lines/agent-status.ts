import { AwayReason, type AgentState, type AgentStatus, type AgentView, type UserIdentity, type WrapUpTask } from '../../../shared/protocol';
import { agentStateOf, reasonOf } from '../../../shared/lines/agent-state';
import type { PresenceFacts } from '../presence/presence-facts';
import type { Db } from '../db/schema';
import type { LineRepo } from './line-repo';
import type { WrapUps } from './wrap-ups';

/** An agent's state as a supervisor sees it, with the agent's own choice. */
export type AgentViewOf = AgentView & { chosen: 'online' | 'dnd' | 'away' };

/** What the database holds of an agent's state; the live facts (devices, calls) come from PresenceFacts. */
interface StoredAgentFacts {
  userId: string;
  wrapUp: boolean;
  chosen: 'online' | 'dnd' | 'away';
}

/**
 * Reads an agent's state: the chosen presence (users) and the stored facts (agent_states) with the live ones
 * (devices, calls: on every node, see PresenceFacts) through the one pure function shared/lines/agent-state.ts.
 */
export class AgentStatusReader {
  constructor(
    private readonly db: Db,
    private readonly lines: LineRepo,
    private readonly wrapUps: WrapUps,
    private readonly facts: PresenceFacts,
  ) {}

  /** The agent's own status, or null when the user is a member of no open line. */
  /** `connecting`: a device of the user is connecting right now (the handshake), so it is not offline. */
  async statusOf(userId: string, connecting = false): Promise<AgentStatus | null> {
    const lines = await this.lines.linesOf(userId);
    if (lines.length === 0) return null;
    const view = await this.viewOf(userId, connecting);
    if (!view) return null;
    const wrapUp = await this.wrapUps.running(userId);
    const offer = await this.db
      .selectFrom('agent_states')
      .innerJoin('queue_entries', 'queue_entries.id', 'agent_states.offer_entry_id')
      .select(['queue_entries.id', 'queue_entries.offer_until'])
      .where('agent_states.user_id', '=', userId)
      .executeTakeFirst();
    return {
      state: view.state,
      chosen: view.chosen,
      reason: view.reason,
      since: view.since,
      lines,
      wrapUp: wrapUp satisfies WrapUpTask | null,
      offer: offer?.offer_until ? { callId: offer.id, until: offer.offer_until } : null,
    };
  }

  /** The entry the agent is being offered now, if any. */
  async offerOf(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom('agent_states').select('offer_entry_id').where('user_id', '=', userId).executeTakeFirst();
    return row?.offer_entry_id ?? null;
  }

  /** The state as a supervisor sees it. */
  async viewOf(userId: string, connecting = false): Promise<AgentViewOf | null> {
    return (await this.viewsOf([userId], connecting ? new Set([userId]) : undefined))[0] ?? null;
  }

  /**
   * The states of these users, in their order (unknown users left out): one query for the stored facts and one
   * look-up of each live fact for all of them (a line's members in the line view).
   * `connecting`: users a device of whom is connecting right now (the handshake), so they are not offline.
   */
  async viewsOf(userIds: readonly string[], connecting: ReadonlySet<string> = new Set()): Promise<AgentViewOf[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('users')
      .leftJoin('agent_states', 'agent_states.user_id', 'users.id')
      .select(['users.id', 'users.username', 'users.display_name', 'users.presence_choice', 'users.presence_reason', 'users.presence_since', 'users.created_at'])
      .select(['agent_states.wrap_call_id', 'agent_states.wrap_started_at', 'agent_states.offline_since', 'agent_states.idle_since'])
      .where('users.id', 'in', userIds)
      .execute();
    const states = await this.statesOf(rows.map((row) => ({ userId: row.id, wrapUp: row.wrap_call_id !== null, chosen: row.presence_choice })), connecting);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const views: AgentViewOf[] = [];
    for (const userId of userIds) {
      const row = byId.get(userId);
      const state = states.get(userId);
      if (!row || !state) continue;
      const user: UserIdentity = { userId: row.id, username: row.username, displayName: row.display_name };
      const parsedReason = AwayReason.safeParse(row.presence_reason);
      const reason = reasonOf(state, parsedReason.success ? parsedReason.data : null);
      const since =
        state === 'offline'
          ? (row.offline_since ?? row.created_at)
          : state === 'wrap-up'
            ? (row.wrap_started_at ?? row.created_at)
            : state === 'busy'
              ? ((await this.callSince(userId)) ?? row.created_at)
              : latest(row.presence_since, row.idle_since) ?? row.created_at;
      views.push({ user, state, reason, since, chosen: row.presence_choice });
    }
    return views;
  }

  /**
   * The state of every member of a line, in one query: what the wait estimate and `whenNoAgent` count. (One read per
   * member made a caller's invite to a 200-agent line wait for 200 queries before the dispatch began; bench section 11.)
   * Only the state: `viewsOf` the members would also read each busy member's call start, one query per busy agent.
   */
  async statesOfMembers(lineId: string): Promise<AgentState[]> {
    return (await this.statesOfLines([lineId])).get(lineId)!;
  }

  /** The state of every member of each of these lines (an agent of two lines counts in both), in one query. */
  async statesOfLines(lineIds: readonly string[]): Promise<Map<string, AgentState[]>> {
    const byLine = new Map(lineIds.map((lineId) => [lineId, [] as AgentState[]]));
    if (lineIds.length === 0) return byLine;
    const rows = await this.db
      .selectFrom('line_members as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .leftJoin('agent_states as a', 'a.user_id', 'm.user_id')
      .select(['m.line_id', 'u.id', 'u.presence_choice', 'a.wrap_call_id'])
      .where('m.line_id', 'in', lineIds)
      .execute();
    const agents = new Map(rows.map((row) => [row.id, { userId: row.id, wrapUp: row.wrap_call_id !== null, chosen: row.presence_choice }]));
    const states = await this.statesOf([...agents.values()]);
    for (const row of rows) byLine.get(row.line_id)!.push(states.get(row.id)!);
    return byLine;
  }

  /**
   * The stored facts with the live ones (devices, calls; one look-up of each for all the users), through the one
   * shared rule. `connecting`: users a device of whom is connecting right now, so they are not offline.
   */
  private async statesOf(stored: readonly StoredAgentFacts[], connecting: ReadonlySet<string> = new Set()): Promise<Map<string, AgentState>> {
    const userIds = stored.map((facts) => facts.userId);
    const [online, inCalls] = await Promise.all([this.facts.onlineOf(userIds.filter((userId) => !connecting.has(userId))), this.facts.inCallOf(userIds)]);
    return new Map(
      stored.map(({ userId, wrapUp, chosen }) => [userId, agentStateOf({ deviceOnline: connecting.has(userId) || online.has(userId), inCall: inCalls.has(userId), wrapUp, chosen })]),
    );
  }

  private async callSince(userId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('calls')
      .select((eb) => eb.fn.coalesce('answered_at', 'started_at').as('since'))
      .where('status', '<>', 'ended')
      .where((eb) => eb.or([eb('caller_id', '=', userId), eb('callee_id', '=', userId)]))
      .orderBy('started_at')
      .executeTakeFirst();
    return row?.since ?? null;
  }
}

function latest(a: string | null, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return a > b ? a : b;
}
