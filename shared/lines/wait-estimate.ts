/**
 * A waiting caller's estimate (design D19): position / serving agents x average handle time, shown as a padded
 * range [max(1 min, 0.8x), max(low + 1 min, 1.5x)] rounded to whole minutes, so it never says "0 min" and never
 * promises; null ("waiting for an agent") while no agent serves the line.
 */
export interface WaitEstimateInput {
  /** 1 = next. */
  position: number;
  /** Members that are available, busy or in wrap-up. */
  servingAgents: number;
  averageHandleMs: number;
}

const MINUTE = 60_000;

export function waitEstimate({ position, servingAgents, averageHandleMs }: WaitEstimateInput): { minMs: number; maxMs: number } | null {
  if (servingAgents <= 0) return null;
  const expected = (position / servingAgents) * averageHandleMs;
  const low = Math.max(MINUTE, Math.round((0.8 * expected) / MINUTE) * MINUTE);
  const high = Math.max(low + MINUTE, Math.round((1.5 * expected) / MINUTE) * MINUTE);
  return { minMs: low, maxMs: high };
}
