import type { ActiveCall, EndReason, QueuedCall, RejectReason } from '../protocol';
import type { CallEffect, CallEvent, CallEventType, CallState, ModelPhase, Transition } from './types';

/**
 * The call model's transition table: for each phase, the events that are legal in it and what
 * they do. An event missing from its phase's row is illegal (see model.ts). Handlers are pure.
 */

type EventOf<T extends CallEventType> = Extract<CallEvent, { type: T }>;
type Handler<T extends CallEventType> = (state: CallState, event: EventOf<T>) => Transition;
export type PhaseRow = { [T in CallEventType]?: Handler<T> };
export type TransitionTable = Record<ModelPhase, PhaseRow>;

/** The end reason this device records when it rejects an incoming call (what the caller is told). */
export const REJECT_END_REASON: Record<RejectReason, EndReason> = {
  declined: 'declined',
  busy: 'busy',
  dnd: 'dnd',
  blocked: 'declined',
};

const stay = (state: CallState, effects: CallEffect[] = []): Transition => ({ state, effects });
const to = (state: CallState, patch: Partial<CallState>, effects: CallEffect[] = []): Transition => ({ state: { ...state, ...patch }, effects });

function ended(state: CallState, reason: EndReason, at: string, effects: CallEffect[] = [], endedBy: CallState['endedBy'] = null): Transition {
  const ringing = state.phase === 'incoming';
  return to(state, { phase: 'ended', endReason: reason, endedAt: at, endedBy, endPending: null, pendingSignals: [] }, [
    ...effects,
    ...(ringing ? [{ type: 'stop-ringing', reason } as const] : []),
    { type: 'ended' },
  ]);
}

const send = (message: Extract<CallEffect, { type: 'send' }>['message']): CallEffect => ({ type: 'send', message });

const remoteEnded: Handler<'remote-ended'> = (state, event) =>
  ended(state, event.reason, event.at, [], event.by === undefined ? null : event.by === state.peer.userId ? 'peer' : 'me');
/** The local ring timer: the same end the server's ring timer gives (no-answer), also when the server cannot be reached. */
const ringTimeout: Handler<'ring-timeout'> = (state, event) => ended(state, 'no-answer', event.at);
const forgotten: Handler<'forgotten'> = (state, event) => ended(state, 'connection-lost', event.at);
const deferEnd: Handler<'hangup'> = (state, event) => to(state, { endPending: event.reason });

const cancel: Handler<'hangup'> = (state, event) => ended(state, 'cancelled', event.at, [send({ event: 'call:cancel', payload: { callId: state.id } })], 'me');

const decline = (state: CallState, reason: RejectReason, at: string): Transition =>
  ended(state, REJECT_END_REASON[reason], at, [send({ event: 'call:reject', payload: { callId: state.id, reason } })], 'me');

/** The call is answered: tell the media layer, deliver early signals, and carry out a deferred hang-up. */
function becomeActive(state: CallState, patch: Partial<CallState>, initiator: boolean, at: string): Transition {
  const answered = to(state, { ...patch, phase: 'active', answeredAt: at, pendingSignals: [], endPending: null }, [
    { type: 'answered', initiator, restart: false },
    ...state.pendingSignals.map((data): CallEffect => ({ type: 'deliver-signal', data })),
  ]);
  if (!state.endPending) return answered;
  const reason = state.endPending;
  const hangup = ended(answered.state, reason, at, [send({ event: 'call:hangup', payload: { callId: state.id, reason } })], 'me');
  return { state: hangup.state, effects: [...answered.effects, ...hangup.effects] };
}

/** What the server says about the other end of an answered call (and the three-way call it is in). */
const peerOf = (call: ActiveCall): Partial<CallState> => ({
  peerDeviceId: call.peerDeviceId,
  peerConnected: call.peerConnected,
  remoteHeld: call.peerHeld,
  remoteMuted: call.peerMuted,
  conference: call.conference?.active ? call.conference : null,
});

/** An answered call this device learns of from the server (a reload took it back, or a transfer replaced one): active at once. */
function answeredFromServer(state: CallState, call: ActiveCall, patch: Partial<CallState>, restart: boolean): Transition {
  const direction = call.role === 'caller' ? ('outgoing' as const) : ('incoming' as const);
  const answered = { ...peerOf(call), id: call.callId, phase: 'active' as const, direction, peer: call.peer, media: call.media };
  return to(state, { ...answered, startedAt: call.answeredAt, answeredAt: call.answeredAt, ...patch }, [{ type: 'answered', initiator: call.role === 'caller', restart }]);
}

/** A call of this device waiting in a line, learnt of from the server: outgoing, at its place in line, its ring deadline armed (no ringback). */
function waitingInLine(state: CallState, queued: QueuedCall, patch: Partial<CallState>): Transition {
  const peer = { userId: queued.line.lineId, username: queued.line.name, displayName: queued.line.displayName };
  const waiting = { id: queued.callId, phase: 'calling', direction: 'outgoing', peer, media: queued.media, startedAt: queued.enqueuedAt, ringUntil: queued.ringUntil } as const;
  return to(state, { ...waiting, line: queued.line, queue: queued.queue, ...patch }, [{ type: 'ring-deadline', at: queued.ringUntil }]);
}

/** A completed transfer moved the conversation on: this leg is over here, and the screens show its successor instead of an end summary. */
const replaced: Handler<'replaced'> = (state, event) => ended({ ...state, replacedBy: event.newCallId }, 'transferred', event.at);

const resumedFromRinging: Handler<'resumed'> = (state, event) => becomeActive(state, peerOf(event.call), event.call.role === 'caller', event.call.answeredAt);

/**
 * Back after a disconnect with the call still up. The server may have restarted and forgotten this
 * side's hold and mute: say them again (the other side may have missed them too).
 */
const resumedActive: Handler<'resumed'> = (state, event) =>
  to(state, { ...peerOf(event.call), peerDeviceId: event.call.peerDeviceId ?? state.peerDeviceId }, [
    ...(state.held ? [send({ event: 'call:hold', payload: { callId: state.id, held: true } })] : []),
    ...(state.muted ? [send({ event: 'call:mute', payload: { callId: state.id, muted: true } })] : []),
  ]);

const outgoingUnanswered: PhaseRow = {
  'ring-timeout': ringTimeout,
  'remote-accepted': (state, event) => becomeActive(state, { peerDeviceId: event.deviceId, peer: event.by, peerConnected: true, queue: null }, true, event.at),
  hangup: cancel,
  'remote-ended': remoteEnded,
  resumed: resumedFromRinging,
  forgotten,
};

export const TRANSITIONS: TransitionTable = {
  idle: {
    dial: (state, event) =>
      to(
        state,
        {
          phase: 'inviting',
          direction: 'outgoing',
          peer: { userId: '', username: event.to, displayName: event.to },
          media: event.media,
          startedAt: event.at,
        },
        [send({ event: 'call:invite', payload: { to: event.to, media: event.media } })],
      ),
    adopted: (state, event) => answeredFromServer(state, event.call, {}, true),
    'leg-started': (state, event) => to(state, { phase: 'calling', direction: 'outgoing', peer: event.to, media: event.media, startedAt: event.at }),
    'transferred-in': (state, event) => answeredFromServer(state, event.call, { transferredBy: event.by }, false),
    // Moved to a line (call:queued): an outgoing call waiting in that line, as if this device had dialled it. Only a
    // transfer to the line names a transferor; a failed transfer or a lost agent puts the caller back at the front.
    'queued-in': (state, { queued, by, why }) => waitingInLine(state, queued, { transferredBy: why === 'transferred' ? by : null, movedToLine: { why, by } }),
    // A reloaded page takes its waiting call back: the queue screen again, at the place the server kept for it.
    'queued-adopted': (state, { queued }) => waitingInLine(state, queued, {}),
    incoming: (state, event) => {
      const { call, decision } = event;
      const base = { id: call.callId, direction: 'incoming' as const, peer: call.from, media: call.media, startedAt: call.startedAt, context: call.context ?? null, line: call.line ?? null };
      if (decision.action === 'reject') {
        const rejected = to(state, { ...base, phase: 'ended', endReason: REJECT_END_REASON[decision.reason], endedAt: event.at }, [
          send({ event: 'call:reject', payload: { callId: call.callId, reason: decision.reason } }),
          { type: 'log', level: 'info', message: `rejected ${call.callId} from ${call.from.username} by ring policy: ${decision.reason}` },
        ]);
        return rejected;
      }
      // Ring first, then tell the caller it rings: the surfaces do not wait for a socket write.
      return to(state, { ...base, phase: 'incoming', silent: decision.silent, waiting: decision.waiting, ringUntil: call.ringUntil }, [
        { type: 'start-ringing', silent: decision.silent, waiting: decision.waiting },
        send({ event: 'call:ringing', payload: { callId: call.callId, silent: decision.silent } }),
        { type: 'ring-deadline', at: call.ringUntil },
      ]);
    },
  },
  inviting: {
    'invite-acked': (state, event) => {
      const acked = { ...state, id: event.callId, peer: event.callee };
      if (event.status === 'unavailable') return ended(acked, 'unavailable', event.at);
      if (state.endPending) return cancel({ ...acked, phase: 'calling' }, { type: 'hangup', reason: state.endPending, at: event.at });
      const queued = event.status === 'queued' && event.line && event.queue ? { line: event.line, queue: event.queue } : {};
      return to(acked, { phase: 'calling', ringUntil: event.ringUntil, ...queued }, [{ type: 'ring-deadline', at: event.ringUntil }]);
    },
    'invite-failed': (state, event) =>
      ended(state, 'failed', event.at, [{ type: 'log', level: 'warn', message: `invite to ${state.peer.username} failed: ${event.error.code} ${event.error.message}` }]),
    hangup: deferEnd,
  },
  calling: {
    ...outgoingUnanswered,
    // A line call waits in the queue (its tone plays), never in ringback: offered agents' rings are not the caller's business.
    'remote-ringing': (state) => (state.queue ? stay(state) : to(state, { phase: 'ringback' }, [{ type: 'ringback' }])),
    'queue-status': (state, event) => (state.queue ? to(state, { queue: event.queue }) : stay(state)),
  },
  ringback: {
    ...outgoingUnanswered,
    'remote-ringing': (state) => stay(state),
  },
  incoming: {
    answer: (state) => to(state, { phase: 'accepting' }, [send({ event: 'call:accept', payload: { callId: state.id } }), { type: 'stop-ringing', reason: 'answered' }]),
    decline: (state, event) => decline(state, event.reason, event.at),
    hangup: (state, event) => decline(state, 'declined', event.at),
    'remote-ended': remoteEnded,
    'ring-timeout': ringTimeout,
    forgotten,
  },
  accepting: {
    'accept-acked': (state, event) => becomeActive(state, { peerConnected: event.peerConnected }, false, event.at),
    'accept-failed': (state, event) =>
      ended(state, event.error.code === 'ALREADY_ANSWERED' ? 'answered-elsewhere' : 'failed', event.at, [
        { type: 'log', level: 'warn', message: `accept of ${state.id} failed: ${event.error.code} ${event.error.message}` },
      ]),
    'signal-in': (state, event) => to(state, { pendingSignals: [...state.pendingSignals, event.data] }),
    hangup: deferEnd,
    'remote-ended': remoteEnded,
    resumed: resumedFromRinging,
    forgotten,
    // A blind transfer completes inside its target's accept: the leg is replaced before its accept is acknowledged.
    replaced,
  },
  active: {
    hangup: (state, event) =>
      ended(
        state,
        event.reason,
        event.at,
        [send({ event: 'call:hangup', payload: { callId: state.id, reason: event.reason, ...(event.mediaLastSeenAt ? { mediaLastSeenAt: event.mediaLastSeenAt } : {}) } })],
        'me',
      ),
    hold: (state, event) => to(state, { held: event.held }, [send({ event: 'call:hold', payload: { callId: state.id, held: event.held } })]),
    'remote-hold': (state, event) => to(state, { remoteHeld: event.held }),
    mute: (state, event) => to(state, { muted: event.muted }, [send({ event: 'call:mute', payload: { callId: state.id, muted: event.muted } })]),
    'remote-mute': (state, event) => to(state, { remoteMuted: event.muted }),
    'peer-connection': (state, event) => to(state, { peerConnected: event.connected }),
    'signal-out': (state, event) => stay(state, [send({ event: 'call:signal', payload: { callId: state.id, data: event.data } })]),
    'signal-in': (state, event) => stay(state, [{ type: 'deliver-signal', data: event.data }]),
    'remote-ended': remoteEnded,
    resumed: resumedActive,
    forgotten,
    replaced,
    conference: (state, event) => to(state, { conference: event.conference.active ? event.conference : null }),
  },
  ended: {},
};
