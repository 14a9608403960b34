/**
 * A waiting caller's estimate (design D19): position / serving agents x average handle time, shown as a padded
 * range [max(1 min, 0.8x), max(low + 1 min, 1.5x)] rounded to whole minutes, so it never says "0 min" and never
 * promises; null ("waiting for an agent") while no agent serves the line.
 *
 * The time since the caller last moved up (or joined) counts down the wait for the next step, never below the
 * steps still left after it: `max((position - 1) / agents x AHT, position / agents x AHT - sinceMoved)`. So while
 * nothing changes (all agents busy for minutes) a refreshed estimate shrinks instead of standing still.
 */
export interface WaitEstimateInput {
  /** 1 = next. */
  position: number;
  /** Members that are available, busy or in wrap-up. */
  servingAgents: number;
  averageHandleMs: number;
  /** How long ago the caller joined the queue or last moved up a place (0 when unknown). */
  sinceMovedMs?: number;
}

const MINUTE = 60_000;

export function waitEstimate({ position, servingAgents, averageHandleMs, sinceMovedMs = 0 }: WaitEstimateInput): { minMs: number; maxMs: number } | null {
  if (servingAgents <= 0) return null;
  const step = averageHandleMs / servingAgents;
  const expected = Math.max((position - 1) * step, position * step - Math.max(0, sinceMovedMs));
  const low = Math.max(MINUTE, Math.round((0.8 * expected) / MINUTE) * MINUTE);
  const high = Math.max(low + MINUTE, Math.round((1.5 * expected) / MINUTE) * MINUTE);
  return { minMs: low, maxMs: high };
}
