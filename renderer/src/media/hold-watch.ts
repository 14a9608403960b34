import type { CallView } from '../../../shared/phone/api';

/**
 * The agent's hold reminder (issue 15: "a customer left on hold forever"): after HOLD_REMINDER_MS on hold, and
 * again every HOLD_REMINDER_MS, the call screen says for how long the caller has waited and a soft beep plays.
 * 60 s is the hold-recall default of office phone systems (Panasonic KX-T "Hold Recall Time" 60 s, NEC/Vodavi
 * DSX "System Hold" recall 60 s): long enough not to nag through a short consult, short enough that nobody is
 * forgotten. "On hold" is this side's hold, its own or a transfer's (the customer's leg while the agent consults).
 */
export const HOLD_REMINDER_MS = 60_000;

/** Since when each of this device's calls has been on hold (page time), as seen by `follow`. */
export class HoldWatch {
  private readonly since = new Map<string, number>();

  /** Notes the calls held now (the first time seen held starts the clock) and forgets the others. */
  follow(calls: readonly CallView[], now: number): void {
    const held = new Set(calls.filter((call) => call.phase === 'active' && call.held).map((call) => call.callId));
    for (const callId of this.since.keys()) if (!held.has(callId)) this.since.delete(callId);
    for (const callId of held) if (!this.since.has(callId)) this.since.set(callId, now);
  }

  /** The call held longest, with how many full reminder periods it has waited (0: no reminder yet). */
  longest(calls: readonly CallView[], now: number): { call: CallView; periods: number } | null {
    let found: { call: CallView; periods: number; since: number } | null = null;
    for (const call of calls) {
      const since = this.since.get(call.callId);
      if (since !== undefined && (!found || since < found.since)) found = { call, since, periods: Math.floor((now - since) / HOLD_REMINDER_MS) };
    }
    return found && { call: found.call, periods: found.periods };
  }
}

/** The page's one watch: it outlives the call screen (switching between calls does not restart the clock). */
export const holdWatch = new HoldWatch();
