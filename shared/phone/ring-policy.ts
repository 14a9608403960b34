import type { UserIdentity } from '../protocol';
import type { RingDecision } from '../call/types';
import type { RingPolicy } from './api';

export const DEFAULT_RING_POLICY: RingPolicy = { dnd: 'off', blocklist: [], callWaiting: true, autoAnswerLineCalls: false };

/**
 * What to do with an incoming call (SEMANTICS.md, "PhoneCore ring policy"), in order:
 * blocklist, DND reject, DND silent, busy/call waiting, ring.
 * `inAnotherCall`: this device has another call that is not just ringing in (see PhoneCore).
 */
export function decideRing(policy: RingPolicy, caller: UserIdentity, inAnotherCall: boolean): RingDecision {
  const blocked = policy.blocklist.some((name) => name.trim().toLowerCase() === caller.username);
  if (blocked) return { action: 'reject', reason: 'blocked' };
  if (policy.dnd === 'reject') return { action: 'reject', reason: 'dnd' };
  if (policy.dnd === 'silent') return { action: 'ring', silent: true, waiting: inAnotherCall };
  if (inAnotherCall && !policy.callWaiting) return { action: 'reject', reason: 'busy' };
  return { action: 'ring', silent: false, waiting: inAnotherCall };
}

/** Accepts a stored or host-supplied policy only if it is well-formed; otherwise the default. */
export function normalizeRingPolicy(value: RingPolicy | null | undefined): RingPolicy {
  if (!value) return { ...DEFAULT_RING_POLICY };
  const dnd = value.dnd === 'reject' || value.dnd === 'silent' ? value.dnd : 'off';
  const blocklist = Array.isArray(value.blocklist) ? value.blocklist.filter((n): n is string => typeof n === 'string').map((n) => n.trim().toLowerCase()) : [];
  return { dnd, blocklist, callWaiting: value.callWaiting !== false, autoAnswerLineCalls: value.autoAnswerLineCalls === true };
}
