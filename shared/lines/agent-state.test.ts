import { describe, expect, it } from 'vitest';
import { agentStateOf, isRoutable, reasonOf, staffs, type AgentFacts } from './agent-state';

const base: AgentFacts = { deviceOnline: true, inCall: false, wrapUp: false, chosen: 'online' };

describe('agentStateOf', () => {
  it.each([
    [{ deviceOnline: false, inCall: true, wrapUp: true, chosen: 'dnd' }, 'offline'],
    [{ inCall: true, wrapUp: true, chosen: 'away' }, 'busy'],
    [{ wrapUp: true, chosen: 'away' }, 'wrap-up'],
    [{ chosen: 'dnd' }, 'dnd'],
    [{ chosen: 'away' }, 'away'],
    [{}, 'available'],
  ] as const)('%j -> %s', (facts, state) => {
    expect(agentStateOf({ ...base, ...facts })).toBe(state);
  });

  it('keeps a reason only while away, routes only available agents, staffs with available, busy and wrap-up', () => {
    expect(reasonOf('away', 'lunch')).toBe('lunch');
    expect(reasonOf('busy', 'lunch')).toBeNull();
    expect(['available', 'busy', 'wrap-up', 'away', 'dnd', 'offline'].filter((s) => isRoutable(s as never))).toEqual(['available']);
    expect(['available', 'busy', 'wrap-up', 'away', 'dnd', 'offline'].filter((s) => staffs(s as never))).toEqual(['available', 'busy', 'wrap-up']);
  });
});
