import { describe, expect, it } from 'vitest';
import { waitEstimate } from './wait-estimate';

const MIN = 60_000;

describe('waitEstimate', () => {
  it.each([
    // position, agents, handle -> [min, max] minutes
    [1, 1, 5 * MIN, [4, 8]],
    [3, 2, 4 * MIN, [5, 9]],
    [1, 10, 1 * MIN, [1, 2]], // would round to 0: never "0 min"
    [10, 1, 10 * MIN, [80, 150]],
  ])('position %i, %i agents, handle %i ms', (position, servingAgents, averageHandleMs, [min, max]) => {
    expect(waitEstimate({ position, servingAgents, averageHandleMs })).toEqual({ minMs: (min ?? 0) * MIN, maxMs: (max ?? 0) * MIN });
  });

  it('is null while no agent serves the line, and grows with the position', () => {
    expect(waitEstimate({ position: 1, servingAgents: 0, averageHandleMs: MIN })).toBeNull();
    const second = waitEstimate({ position: 2, servingAgents: 1, averageHandleMs: 5 * MIN });
    const first = waitEstimate({ position: 1, servingAgents: 1, averageHandleMs: 5 * MIN });
    expect(second!.minMs).toBeGreaterThan(first!.minMs);
  });

  it('counts down while the caller has not moved, never below the places still ahead, never to 0 min', () => {
    const at = (sinceMovedMs: number, position = 1) => waitEstimate({ position, servingAgents: 1, averageHandleMs: 10 * MIN, sinceMovedMs });
    expect(at(0)).toEqual({ minMs: 8 * MIN, maxMs: 15 * MIN });
    expect(at(5 * MIN)).toEqual({ minMs: 4 * MIN, maxMs: 8 * MIN });
    expect(at(60 * MIN)).toEqual({ minMs: 1 * MIN, maxMs: 2 * MIN });
    // Third in line: the two calls ahead still count once the current step is overdue.
    expect(at(60 * MIN, 3)).toEqual({ minMs: 16 * MIN, maxMs: 30 * MIN });
  });
});
