import { describe, expect, it } from 'vitest';
import { ALICE, SUPPORT, callView } from '../testing/fixtures';
import { transferFactsOf, transferRefusal } from './transfer-rule';

const refusalOf = (overrides: Parameters<typeof callView>[0]) => transferRefusal(transferFactsOf(callView({ phase: 'active', ...overrides })));

describe('who may transfer a call (D16), as the call screen sees it', () => {
  it('either party of a direct call, and the agent of a line call', () => {
    expect(refusalOf({ direction: 'outgoing' })).toBeNull();
    expect(refusalOf({ direction: 'incoming' })).toBeNull();
    expect(refusalOf({ direction: 'incoming', line: SUPPORT })).toBeNull();
  });

  it('not the customer of a line call, not an expert on a consult leg, not anyone in a three-way call', () => {
    expect(refusalOf({ direction: 'outgoing', line: SUPPORT })).toBe('line-caller');
    expect(refusalOf({ direction: 'incoming', context: { kind: 'consult', by: ALICE, for: ALICE } })).toBe('transfer-leg');
    expect(refusalOf({ conference: { active: true, parties: [ALICE], hub: ALICE.userId } })).toBe('in-conference');
  });
});
