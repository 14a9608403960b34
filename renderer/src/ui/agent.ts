import type { AgentState, AgentStatus, AwayReason, QueueStatus } from '../../../shared/protocol';

/** What the header and the tray say about an agent: the state, and for away the reason. */
export interface AgentStateText {
  /** i18n key of the state (agent.state.*). */
  stateKey: string;
  /** i18n key of the away reason (agent.reason.*), when away with one. */
  reasonKey: string | null;
}

export function agentStateText(agent: Pick<AgentStatus, 'state' | 'reason'>): AgentStateText {
  return {
    stateKey: `agent.state.${agent.state}`,
    reasonKey: agent.state === 'away' && agent.reason ? `agent.reason.${agent.reason}` : null,
  };
}

/**
 * The states the phone sets, which the status menu shows but never offers as a choice (D4): the
 * chosen status (available, away, dnd) is kept underneath and applies again when they end.
 */
export const SYSTEM_STATES: ReadonlySet<AgentState> = new Set(['busy', 'wrap-up', 'offline']);

/** The reasons an agent may choose for away (`missed-offer` is set by the server only). */
export const CHOSEN_AWAY_REASONS = ['break', 'lunch', 'training', 'meeting', 'other'] as const satisfies readonly AwayReason[];

/** The agent was set away because a line call it was offered rang out: the banner with "Back to available" shows. */
export function missedOffer(agent: Pick<AgentStatus, 'state' | 'chosen' | 'reason'> | null): boolean {
  return agent !== null && agent.chosen === 'away' && agent.reason === 'missed-offer';
}

/**
 * The waiting caller's estimate in whole minutes, never "0 min" and never a range of one value:
 * the lower end is at least 1, the upper end at least one more than the lower (D19). null while no
 * agent serves the line ("waiting for an agent").
 */
export function estimateMinutes(queue: Pick<QueueStatus, 'estimate'>): { min: number; max: number } | null {
  if (!queue.estimate) return null;
  const min = Math.max(1, Math.round(queue.estimate.minMs / 60_000));
  const max = Math.max(min + 1, Math.round(queue.estimate.maxMs / 60_000));
  return { min, max };
}

/** Milliseconds left until an ISO time (0 once it passed). */
export function msUntil(iso: string, now: number): number {
  return Math.max(0, Date.parse(iso) - now);
}

/** Milliseconds since an ISO time (0 if it is in the future: clocks differ a little). */
export function msSince(iso: string, now: number): number {
  return Math.max(0, now - Date.parse(iso));
}
