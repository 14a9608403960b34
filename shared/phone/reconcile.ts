import type { IncomingCall, ServerPayload } from '../protocol';
import type { CallEvent, CallState, OutgoingMessage } from '../call/types';

export type ReconcileAction =
  | { kind: 'event'; callId: string; event: CallEvent }
  | { kind: 'incoming'; call: IncomingCall }
  | { kind: 'send'; message: OutgoingMessage; why: string };

/**
 * After every (re)connect, bring the local calls in line with the server's view (session:ready):
 * - a local call the server no longer knows ends with 'connection-lost';
 * - a local ringing/accepting call the server lists as active becomes active ('resumed');
 * - an invite pending on the server and unknown here rings (through the ring policy);
 * - an active call of this device unknown here (not one it ended) is taken back when the host runs
 *   media that can restart ('adopted'), else hung up with 'media-failed' (no media can exist);
 * - an unanswered outgoing call of this device unknown here is cancelled;
 * - a call of this device waiting in a line (queuedCalls) keeps waiting with its new place in line; one
 *   unknown here (a reloaded page) is taken back ('queued-adopted'): the server kept its place for the resume
 *   grace, and a queued call needs no media yet. One this device ended meanwhile is cancelled again.
 * Order: existing calls first, then hang-ups, then new rings, so the ring policy sees the final picture.
 */
export function planReconcile(
  local: readonly CallState[],
  ready: ServerPayload<'session:ready'>,
  at: string,
  recentlyEnded: (callId: string) => boolean,
  options: { adoptAnswered: boolean } = { adoptAnswered: false },
): ReconcileAction[] {
  const active = new Map(ready.activeCalls.map((c) => [c.callId, c]));
  const pending = new Set(ready.pendingInvites.map((c) => c.callId));
  const outgoing = new Map(ready.outgoingCalls.map((c) => [c.callId, c]));
  const queued = new Map(ready.queuedCalls.map((c) => [c.callId, c]));
  const known = new Set(local.map((c) => c.id));
  const actions: ReconcileAction[] = [];

  for (const call of local) {
    const waiting = queued.get(call.id);
    const event = waiting && call.phase === 'calling' ? { type: 'queue-status' as const, queue: waiting.queue, at } : reconcileOne(call, active, pending, outgoing, at);
    if (event) actions.push({ kind: 'event', callId: call.id, event });
  }
  for (const call of ready.activeCalls) {
    if (known.has(call.callId)) continue;
    if (options.adoptAnswered && !recentlyEnded(call.callId)) actions.push({ kind: 'event', callId: call.callId, event: { type: 'adopted', call, at } });
    else actions.push({ kind: 'send', message: { event: 'call:hangup', payload: { callId: call.callId, reason: 'media-failed' } }, why: 'active on the server, unknown here' });
  }
  for (const call of ready.queuedCalls) {
    if (!known.has(call.callId) && !recentlyEnded(call.callId)) actions.push({ kind: 'event', callId: call.callId, event: { type: 'queued-adopted', queued: call, at } });
  }
  for (const call of [...ready.outgoingCalls, ...ready.queuedCalls]) {
    if (!known.has(call.callId) && (!queued.has(call.callId) || recentlyEnded(call.callId))) {
      actions.push({ kind: 'send', message: { event: 'call:cancel', payload: { callId: call.callId } }, why: 'outgoing on the server, unknown here' });
    }
  }
  for (const invite of ready.pendingInvites) {
    if (!known.has(invite.callId) && !recentlyEnded(invite.callId)) actions.push({ kind: 'incoming', call: invite });
  }
  return actions;
}

function reconcileOne(
  call: CallState,
  active: Map<string, ServerPayload<'session:ready'>['activeCalls'][number]>,
  pending: Set<string>,
  outgoing: Map<string, ServerPayload<'session:ready'>['outgoingCalls'][number]>,
  at: string,
): CallEvent | null {
  const serverActive = active.get(call.id);
  switch (call.phase) {
    case 'idle':
    case 'ended':
    case 'inviting': // its acknowledgement (or its timeout) settles it
      return null;
    case 'calling':
    case 'ringback': {
      if (serverActive) return { type: 'resumed', call: serverActive, at };
      const out = outgoing.get(call.id);
      if (!out) return { type: 'forgotten', at };
      return call.phase === 'calling' && out.ringing ? { type: 'remote-ringing', silent: false, at } : null;
    }
    case 'incoming':
      return pending.has(call.id) ? null : { type: 'forgotten', at };
    case 'accepting':
      if (serverActive) return { type: 'resumed', call: serverActive, at };
      return pending.has(call.id) ? null : { type: 'forgotten', at };
    case 'active':
      return serverActive ? { type: 'resumed', call: serverActive, at } : { type: 'forgotten', at };
  }
}
