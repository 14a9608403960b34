import { describe, expect, it } from 'vitest';
import { ALICE } from '../testing/fixtures';
import type { RingPolicy } from './api';
import { decideRing, normalizeRingPolicy } from './ring-policy';

const policy = (p: Partial<RingPolicy>): RingPolicy => ({ dnd: 'off', blocklist: [], callWaiting: true, ...p });

describe('ring policy', () => {
  const cases: Array<[string, Partial<RingPolicy>, boolean, ReturnType<typeof decideRing>]> = [
    ['rings normally', {}, false, { action: 'ring', silent: false, waiting: false }],
    ['blocklist first, even under DND silent', { blocklist: ['Alice'], dnd: 'silent' }, false, { action: 'reject', reason: 'blocked' }],
    ['DND reject', { dnd: 'reject' }, false, { action: 'reject', reason: 'dnd' }],
    ['DND reject beats busy', { dnd: 'reject', callWaiting: false }, true, { action: 'reject', reason: 'dnd' }],
    ['DND silent rings silently', { dnd: 'silent' }, false, { action: 'ring', silent: true, waiting: false }],
    ['DND silent during a call rings silently with the waiting mark', { dnd: 'silent', callWaiting: false }, true, { action: 'ring', silent: true, waiting: true }],
    ['call waiting on', { callWaiting: true }, true, { action: 'ring', silent: false, waiting: true }],
    ['call waiting off: busy', { callWaiting: false }, true, { action: 'reject', reason: 'busy' }],
    ['another blocked user does not matter', { blocklist: ['bob'] }, false, { action: 'ring', silent: false, waiting: false }],
  ];
  for (const [name, p, inCall, expected] of cases) {
    it(name, () => expect(decideRing(normalizeRingPolicy(policy(p)), ALICE, inCall)).toEqual(expected));
  }

  it('normalizes stored values', () => {
    expect(normalizeRingPolicy(null)).toEqual({ dnd: 'off', blocklist: [], callWaiting: true, autoAnswerLineCalls: false });
    expect(normalizeRingPolicy({ dnd: 'bogus' as 'off', blocklist: [' Bob ', 3 as unknown as string], callWaiting: false })).toEqual({
      dnd: 'off',
      blocklist: ['bob'],
      callWaiting: false,
      autoAnswerLineCalls: false,
    });
    expect(normalizeRingPolicy({ dnd: 'off', blocklist: [], callWaiting: true, autoAnswerLineCalls: 'yes' as unknown as boolean }).autoAnswerLineCalls).toBe(false);
    expect(normalizeRingPolicy({ dnd: 'off', blocklist: [], callWaiting: true, autoAnswerLineCalls: true }).autoAnswerLineCalls).toBe(true);
  });
});
