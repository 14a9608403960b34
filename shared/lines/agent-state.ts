import type { AgentState, AwayReason, ChosenPresence } from '../protocol';

/** The facts an agent's state is derived from (the server keeps them; nothing here is stored). */
export interface AgentFacts {
  /** At least one device of the agent is connected. */
  deviceOnline: boolean;
  /** The agent is in a call (answered, or its own outgoing call rings). */
  inCall: boolean;
  /** A time-boxed wrap-up is running. */
  wrapUp: boolean;
  chosen: ChosenPresence;
}

/**
 * One order for every reader (server routing, line view, clients): offline > busy > wrap-up > dnd > away >
 * available. System states never overwrite the choice: after a call or a wrap-up the agent is back to what it chose.
 */
export function agentStateOf(facts: AgentFacts): AgentState {
  if (!facts.deviceOnline) return 'offline';
  if (facts.inCall) return 'busy';
  if (facts.wrapUp) return 'wrap-up';
  if (facts.chosen === 'dnd') return 'dnd';
  if (facts.chosen === 'away') return 'away';
  return 'available';
}

/** The away reason shown with a state: only an away agent has one. */
export function reasonOf(state: AgentState, reason: AwayReason | null): AwayReason | null {
  return state === 'away' ? reason : null;
}

/** A line may offer a call only to an available agent. */
export const isRoutable = (state: AgentState): boolean => state === 'available';

/** A line is staffed (for its no-agent policy) while a member is available, busy or in wrap-up. */
export const staffs = (state: AgentState): boolean => state === 'available' || state === 'busy' || state === 'wrap-up';
