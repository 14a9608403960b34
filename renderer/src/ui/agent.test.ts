import { describe, expect, it } from 'vitest';
import { agentStateText, estimateMinutes, missedOffer, msSince, msUntil } from './agent';

describe('estimateMinutes', () => {
  it('rounds to minutes and never says 0 min', () => {
    expect(estimateMinutes({ estimate: { minMs: 60_000, maxMs: 60_000 } })).toEqual({ min: 1, max: 2 });
    expect(estimateMinutes({ estimate: { minMs: 89_000, maxMs: 150_000 } })).toEqual({ min: 1, max: 3 });
    expect(estimateMinutes({ estimate: { minMs: 240_000, maxMs: 450_000 } })).toEqual({ min: 4, max: 8 });
  });

  it('keeps the range a range when the server sends a narrow one', () => {
    expect(estimateMinutes({ estimate: { minMs: 300_000, maxMs: 310_000 } })).toEqual({ min: 5, max: 6 });
  });

  it('is null while no agent serves the line', () => {
    expect(estimateMinutes({ estimate: null })).toBeNull();
  });
});

describe('agent state text', () => {
  it('names the away reason only when away', () => {
    expect(agentStateText({ state: 'away', reason: 'lunch' })).toEqual({ stateKey: 'agent.state.away', reasonKey: 'agent.reason.lunch' });
    expect(agentStateText({ state: 'busy', reason: 'lunch' })).toEqual({ stateKey: 'agent.state.busy', reasonKey: null });
    expect(agentStateText({ state: 'wrap-up', reason: null })).toEqual({ stateKey: 'agent.state.wrap-up', reasonKey: null });
  });

  it('a missed offer is the chosen away with the server reason, also while a call runs on top of it', () => {
    expect(missedOffer({ state: 'away', chosen: 'away', reason: 'missed-offer' })).toBe(true);
    expect(missedOffer({ state: 'busy', chosen: 'away', reason: 'missed-offer' })).toBe(true);
    expect(missedOffer({ state: 'away', chosen: 'away', reason: 'break' })).toBe(false);
    expect(missedOffer({ state: 'available', chosen: 'online', reason: null })).toBe(false);
    expect(missedOffer(null)).toBe(false);
  });
});

describe('time helpers', () => {
  it('count down and up without going negative', () => {
    const now = Date.parse('2026-11-30T12:00:00.000Z');
    expect(msUntil('2026-11-30T12:00:30.000Z', now)).toBe(30_000);
    expect(msUntil('2026-11-30T11:59:00.000Z', now)).toBe(0);
    expect(msSince('2026-11-30T11:58:00.000Z', now)).toBe(120_000);
    expect(msSince('2026-11-30T12:01:00.000Z', now)).toBe(0);
  });
});
