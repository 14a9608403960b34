import type { CallView } from '../phone/api';
import { TRANSITIONS } from './table';
import type { CallEvent, CallState, Transition } from './types';

/** A call before its first event: `dial` or `incoming` fills it in. */
export function idleCall(id: string): CallState {
  return {
    id,
    phase: 'idle',
    direction: 'outgoing',
    peer: { userId: '', username: '', displayName: '' },
    peerDeviceId: null,
    media: 'audio',
    waiting: false,
    silent: false,
    held: false,
    remoteHeld: false,
    muted: false,
    remoteMuted: false,
    peerConnected: false,
    startedAt: '',
    answeredAt: null,
    endedAt: null,
    endReason: null,
    endedBy: null,
    endPending: null,
    pendingSignals: [],
    ringUntil: null,
    context: null,
    transferredBy: null,
    movedToLine: null,
    conference: null,
    replacedBy: null,
    line: null,
    queue: null,
  };
}

/** Why `event` is not allowed now, in words for the log. */
export function illegalReason(state: CallState, event: CallEvent): string {
  return `event '${event.type}' is not allowed in phase '${state.phase}' (call ${state.id || '(new)'})`;
}

/**
 * The call model: a pure function of the current state and one event. Looks the pair up in the
 * transition table; an event with no row for the phase is ignored and only logged.
 */
export function transition(state: CallState, event: CallEvent): Transition {
  const handler = TRANSITIONS[state.phase][event.type] as ((s: CallState, e: CallEvent) => Transition) | undefined;
  if (!handler) {
    const reason = illegalReason(state, event);
    return { state, effects: [{ type: 'log', level: 'warn', message: `ignored: ${reason}` }], ignored: reason };
  }
  return handler(state, event);
}

export function isLegal(state: CallState, type: CallEvent['type']): boolean {
  return TRANSITIONS[state.phase][type] !== undefined;
}

/** The read-only view the PhoneCore API exposes. */
export function toView(state: CallState): CallView {
  if (state.phase === 'idle') throw new Error(`call ${state.id} has no view before its first event`);
  return {
    callId: state.id,
    direction: state.direction,
    peer: state.peer,
    media: state.media,
    phase: state.phase,
    waiting: state.waiting,
    silent: state.silent,
    held: state.held,
    remoteHeld: state.remoteHeld,
    muted: state.muted,
    remoteMuted: state.remoteMuted,
    peerConnected: state.peerConnected,
    startedAt: state.startedAt,
    answeredAt: state.answeredAt,
    endedAt: state.endedAt,
    endReason: state.endReason,
    endedBy: state.endedBy,
    context: state.context,
    transferredBy: state.transferredBy,
    movedToLine: state.movedToLine,
    conference: state.conference,
    replacedBy: state.replacedBy,
    line: state.line,
    queue: state.queue,
  };
}
