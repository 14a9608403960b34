import type { CallView } from '../phone/api';

/**
 * Who may start a transfer of a call (design D16), in one place: the server refuses with it and the call
 * screen shows the Transfer button only where it does not refuse. The facts are what both sides know of an
 * answered call; the server also refuses a second transfer of a call with an open one (its unique index).
 */
export interface TransferFacts {
  /** The call is a transfer's leg (agent -> expert): only its original can be transferred. */
  transferLeg: boolean;
  /** The call came from a service line, and this side is its caller (the customer). */
  lineCaller: boolean;
  /** The call is part of a three-way call: only the hub acts on it, through its consult panel. */
  inConference: boolean;
}

export type TransferRefusal = 'transfer-leg' | 'line-caller' | 'in-conference';

/** Why this side may not transfer the call, or null when it may. */
export function transferRefusal(facts: TransferFacts): TransferRefusal | null {
  if (facts.transferLeg) return 'transfer-leg';
  if (facts.lineCaller) return 'line-caller';
  if (facts.inConference) return 'in-conference';
  return null;
}

/** The facts as a client knows them of one of its calls (a consult leg rings with its context; a line call has its line). */
export function transferFactsOf(call: Pick<CallView, 'context' | 'line' | 'direction' | 'conference'>): TransferFacts {
  return {
    transferLeg: call.context?.kind === 'consult',
    lineCaller: call.line !== null && call.direction === 'outgoing',
    inConference: call.conference?.active === true,
  };
}
