import type { CallEffect, CallEvent, CallEventType, CallState, ModelPhase } from '../call/types';
import { ALICE, AT, BOB, CALL_ID, CALL_ID_2, CAROL, LATER, QUEUED_ACK, QUEUE_2, QUEUE_3, SAMPLE_EVENTS, SUPPORT, activeCall, incomingCall } from './fixtures';
import { reach, reachQueued, run } from './call-states';

/**
 * Expected results for every row of the call model's transition table (shared/call/table.ts).
 * `effects` is the exact, ordered effect list; `state` the fields that must have these values.
 * shared/call/model.test.ts checks that these rows and the table's rows are the same set.
 */
export interface TransitionCase {
  name: string;
  /** Start state; default: reach[phase](). */
  from?: () => CallState;
  event: CallEvent;
  state: Partial<CallState>;
  effects: CallEffect[];
}
export type TransitionCases = { [P in ModelPhase]: { [T in CallEventType]?: TransitionCase[] } };

const send = (message: Extract<CallEffect, { type: 'send' }>['message']): CallEffect => ({ type: 'send', message });
const ended = (endReason: string, extra: Partial<CallState> = {}) => ({ phase: 'ended' as const, endReason: endReason as CallState['endReason'], endedAt: LATER, ...extra });
const ENDED: CallEffect = { type: 'ended' };

const outgoingUnanswered = (phase: 'calling' | 'ringback'): TransitionCases['calling'] => ({
  'remote-accepted': [
    {
      name: 'the callee answered: active, the caller creates the offer',
      event: SAMPLE_EVENTS['remote-accepted'],
      state: { phase: 'active', peerDeviceId: 'device-bob-1', answeredAt: LATER, peerConnected: true },
      effects: [{ type: 'answered', initiator: true, restart: false }],
    },
  ],
  hangup: [
    {
      name: 'the caller gives up: cancel',
      event: SAMPLE_EVENTS.hangup,
      state: ended('cancelled'),
      effects: [send({ event: 'call:cancel', payload: { callId: CALL_ID } }), ENDED],
    },
  ],
  'remote-ended': (['declined', 'busy', 'dnd', 'no-answer', 'cancelled'] as const).map((reason) => ({
    name: `the server ends it: ${reason}`,
    event: { type: 'remote-ended' as const, reason, at: LATER },
    state: ended(reason),
    effects: [ENDED],
  })),
  resumed: [
    {
      name: `answered while this device was away (${phase})`,
      event: SAMPLE_EVENTS.resumed,
      state: { phase: 'active', answeredAt: LATER, peerDeviceId: 'device-bob-1' },
      effects: [{ type: 'answered', initiator: true, restart: false }],
    },
  ],
  forgotten: [{ name: 'the server no longer knows it', event: SAMPLE_EVENTS.forgotten, state: ended('connection-lost'), effects: [ENDED] }],
  'ring-timeout': [
    {
      name: `the ring deadline passed (${phase}): no-answer here, nothing sent (the server ends it too)`,
      event: SAMPLE_EVENTS['ring-timeout'],
      state: ended('no-answer', { endedAt: SAMPLE_EVENTS['ring-timeout'].at }),
      effects: [ENDED],
    },
  ],
});

export const TRANSITION_CASES: TransitionCases = {
  idle: {
    dial: [
      {
        name: 'dial sends the invite',
        event: SAMPLE_EVENTS.dial,
        state: { phase: 'inviting', direction: 'outgoing', media: 'audio', startedAt: AT, peer: { userId: '', username: 'bob', displayName: 'bob' } },
        effects: [send({ event: 'call:invite', payload: { to: 'bob', media: 'audio' } })],
      },
    ],
    adopted: [
      {
        name: 'an answered call this device lost (reload) is taken back: its media restarts',
        event: { ...SAMPLE_EVENTS.adopted, call: activeCall({ role: 'callee', peer: ALICE, peerMuted: true, media: 'video' }) },
        state: { id: CALL_ID, phase: 'active', direction: 'incoming', peer: ALICE, media: 'video', answeredAt: LATER, remoteMuted: true, muted: false },
        effects: [{ type: 'answered', initiator: false, restart: true }],
      },
      {
        name: 'the caller side takes it back as the initiator',
        event: SAMPLE_EVENTS.adopted,
        state: { phase: 'active', direction: 'outgoing', peer: BOB },
        effects: [{ type: 'answered', initiator: true, restart: true }],
      },
    ],
    'leg-started': [
      {
        name: "the consult leg the server placed for this device: calling the target (the server's events drive it from here)",
        event: SAMPLE_EVENTS['leg-started'],
        state: { phase: 'calling', direction: 'outgoing', peer: CAROL, media: 'audio', startedAt: AT },
        effects: [],
      },
    ],
    'transferred-in': [
      {
        name: 'the customer of a completed transfer: the new call is answered at once, the customer (caller) offers, media starts fresh',
        event: SAMPLE_EVENTS['transferred-in'],
        state: { id: CALL_ID_2, phase: 'active', direction: 'outgoing', peer: CAROL, answeredAt: LATER, transferredBy: BOB, replacedBy: null },
        effects: [{ type: 'answered', initiator: true, restart: false }],
      },
      {
        name: 'the target of a completed transfer waits for the offer',
        event: { ...SAMPLE_EVENTS['transferred-in'], call: activeCall({ callId: CALL_ID_2, role: 'callee', peer: ALICE }) },
        state: { id: CALL_ID_2, phase: 'active', direction: 'incoming', peer: ALICE, transferredBy: BOB },
        effects: [{ type: 'answered', initiator: false, restart: false }],
      },
    ],
    'queued-in': [
      {
        name: 'a customer moved to a line waits there: an outgoing queued call with its place in line, no ringback',
        event: SAMPLE_EVENTS['queued-in'],
        state: { id: CALL_ID_2, phase: 'calling', direction: 'outgoing', peer: { userId: SUPPORT.lineId, username: SUPPORT.name, displayName: SUPPORT.displayName }, line: SUPPORT, queue: QUEUE_3, transferredBy: BOB, movedToLine: { why: 'transferred', by: BOB } },
        effects: [{ type: 'ring-deadline', at: SAMPLE_EVENTS['queued-in'].queued.ringUntil }],
      },
      {
        name: 'a customer whose blind transfer failed is back at the front of its line: queued, nobody transferred it',
        event: { ...SAMPLE_EVENTS['queued-in'], why: 'returned' },
        state: { id: CALL_ID_2, phase: 'calling', direction: 'outgoing', line: SUPPORT, queue: QUEUE_3, transferredBy: null, movedToLine: { why: 'returned', by: BOB } },
        effects: [{ type: 'ring-deadline', at: SAMPLE_EVENTS['queued-in'].queued.ringUntil }],
      },
      {
        name: "the customer of a line call whose agent was lost: waiting in the line again, at the front, the queue tone's state (calling, with its place in line)",
        event: { ...SAMPLE_EVENTS['queued-in'], why: 'agent-lost', queued: { ...SAMPLE_EVENTS['queued-in'].queued, queue: { ...QUEUE_2, position: 1 } } },
        state: {
          id: CALL_ID_2,
          phase: 'calling',
          direction: 'outgoing',
          peer: { userId: SUPPORT.lineId, username: SUPPORT.name, displayName: SUPPORT.displayName },
          line: SUPPORT,
          queue: { ...QUEUE_2, position: 1 },
          startedAt: LATER,
          ringUntil: SAMPLE_EVENTS['queued-in'].queued.ringUntil,
          transferredBy: null,
          movedToLine: { why: 'agent-lost', by: BOB },
        },
        effects: [{ type: 'ring-deadline', at: SAMPLE_EVENTS['queued-in'].queued.ringUntil }],
      },
    ],
    'queued-adopted': [
      {
        name: 'a reloaded page takes back its call waiting in a line: outgoing, at the place the server kept, its ring deadline armed, no ringback',
        event: SAMPLE_EVENTS['queued-adopted'],
        state: {
          id: CALL_ID_2,
          phase: 'calling',
          direction: 'outgoing',
          peer: { userId: SUPPORT.lineId, username: SUPPORT.name, displayName: SUPPORT.displayName },
          line: SUPPORT,
          queue: QUEUE_2,
          startedAt: AT,
          ringUntil: SAMPLE_EVENTS['queued-adopted'].queued.ringUntil,
          transferredBy: null,
          movedToLine: null,
        },
        effects: [{ type: 'ring-deadline', at: SAMPLE_EVENTS['queued-adopted'].queued.ringUntil }],
      },
    ],
    incoming: [
      {
        name: 'a consult leg rings with its context (who consults, about whom)',
        event: { ...SAMPLE_EVENTS.incoming, call: incomingCall({ context: { kind: 'consult', by: ALICE, for: CAROL } }) },
        state: { phase: 'incoming', context: { kind: 'consult', by: ALICE, for: CAROL } },
        effects: [
          { type: 'start-ringing', silent: false, waiting: false },
          send({ event: 'call:ringing', payload: { callId: CALL_ID, silent: false } }),
          { type: 'ring-deadline', at: SAMPLE_EVENTS.incoming.call.ringUntil },
        ],
      },
      {
        name: 'an offer from a service line rings, naming the line',
        event: { ...SAMPLE_EVENTS.incoming, call: incomingCall({ line: SUPPORT }) },
        state: { id: CALL_ID, phase: 'incoming', line: SUPPORT },
        effects: [
          { type: 'start-ringing', silent: false, waiting: false },
          send({ event: 'call:ringing', payload: { callId: CALL_ID, silent: false } }),
          { type: 'ring-deadline', at: SAMPLE_EVENTS.incoming.call.ringUntil },
        ],
      },
      ...[
        { silent: false, waiting: false },
        { silent: true, waiting: false },
        { silent: false, waiting: true },
      ].map((ring) => ({
        name: `rings (silent=${ring.silent}, waiting=${ring.waiting})`,
        event: { ...SAMPLE_EVENTS.incoming, decision: { action: 'ring' as const, ...ring } },
        state: { id: CALL_ID, phase: 'incoming' as const, direction: 'incoming' as const, peer: ALICE, ringUntil: SAMPLE_EVENTS.incoming.call.ringUntil, ...ring },
        effects: [
          { type: 'start-ringing' as const, ...ring },
          send({ event: 'call:ringing', payload: { callId: CALL_ID, silent: ring.silent } }),
          { type: 'ring-deadline' as const, at: SAMPLE_EVENTS.incoming.call.ringUntil },
        ],
      })),
      ...([
        ['blocked', 'declined'],
        ['dnd', 'dnd'],
        ['busy', 'busy'],
      ] as const).map(([reason, endReason]) => ({
        name: `the ring policy rejects it (${reason}) without ringing`,
        event: { ...SAMPLE_EVENTS.incoming, decision: { action: 'reject' as const, reason } },
        state: { id: CALL_ID, phase: 'ended' as const, endReason, direction: 'incoming' as const },
        effects: [
          send({ event: 'call:reject', payload: { callId: CALL_ID, reason } }),
          { type: 'log' as const, level: 'info' as const, message: `rejected ${CALL_ID} from alice by ring policy: ${reason}` },
        ],
      })),
    ],
  },
  inviting: {
    'invite-acked': [
      {
        name: 'delivered: calling, with the server callId and callee; the local ring timer is armed',
        event: SAMPLE_EVENTS['invite-acked'],
        state: { id: CALL_ID, phase: 'calling', peer: BOB, ringUntil: SAMPLE_EVENTS['invite-acked'].ringUntil },
        effects: [{ type: 'ring-deadline', at: SAMPLE_EVENTS['invite-acked'].ringUntil }],
      },
      {
        name: 'queued in a service line: calling, with the line and the place in line; the ring timer is armed at the latest end of the wait',
        event: QUEUED_ACK,
        state: { id: CALL_ID, phase: 'calling', line: SUPPORT, queue: QUEUE_3, ringUntil: QUEUED_ACK.ringUntil },
        effects: [{ type: 'ring-deadline', at: QUEUED_ACK.ringUntil }],
      },
      {
        name: 'unavailable: ended at once, nothing sent',
        event: { ...SAMPLE_EVENTS['invite-acked'], status: 'unavailable' },
        state: { id: CALL_ID, ...ended('unavailable', { endedAt: AT }) },
        effects: [ENDED],
      },
      {
        name: 'hung up before the ack: cancel as soon as the callId is known',
        from: () => run(reach.inviting(), SAMPLE_EVENTS.hangup),
        event: SAMPLE_EVENTS['invite-acked'],
        state: { id: CALL_ID, ...ended('cancelled', { endedAt: AT }), endPending: null },
        effects: [send({ event: 'call:cancel', payload: { callId: CALL_ID } }), ENDED],
      },
    ],
    'invite-failed': [
      {
        name: 'refused: ended failed and logged',
        event: SAMPLE_EVENTS['invite-failed'],
        state: ended('failed', { endedAt: AT }),
        effects: [{ type: 'log', level: 'warn', message: 'invite to bob failed: USER_NOT_FOUND no such user' }, ENDED],
      },
    ],
    hangup: [{ name: 'no callId yet: the hang-up is deferred', event: SAMPLE_EVENTS.hangup, state: { phase: 'inviting', endPending: 'hangup' }, effects: [] }],
  },
  calling: {
    ...outgoingUnanswered('calling'),
    'remote-accepted': [
      ...outgoingUnanswered('calling')['remote-accepted']!,
      {
        name: 'an agent answered the queued line call: active, the queue gone, the line kept',
        from: reachQueued,
        event: SAMPLE_EVENTS['remote-accepted'],
        state: { phase: 'active', peer: BOB, queue: null, line: SUPPORT },
        effects: [{ type: 'answered', initiator: true, restart: false }],
      },
    ],
    'remote-ringing': [
      { name: 'a callee device rings: ringback', event: SAMPLE_EVENTS['remote-ringing'], state: { phase: 'ringback' }, effects: [{ type: 'ringback' }] },
      { name: 'queued in a line: no ringback (the queue tone plays)', from: reachQueued, event: SAMPLE_EVENTS['remote-ringing'], state: { phase: 'calling', queue: QUEUE_3 }, effects: [] },
    ],
    'queue-status': [
      { name: 'queued: the new place in line and estimate', from: reachQueued, event: SAMPLE_EVENTS['queue-status'], state: { phase: 'calling', queue: QUEUE_2, line: SUPPORT }, effects: [] },
      { name: 'a direct call has no queue: nothing changes', event: SAMPLE_EVENTS['queue-status'], state: { phase: 'calling', queue: null }, effects: [] },
    ],
  },
  ringback: {
    ...outgoingUnanswered('ringback'),
    'remote-ringing': [{ name: 'another callee device rings: nothing new', event: SAMPLE_EVENTS['remote-ringing'], state: { phase: 'ringback' }, effects: [] }],
  },
  incoming: {
    answer: [
      {
        name: 'answer sends accept and stops the ring at once',
        event: SAMPLE_EVENTS.answer,
        state: { phase: 'accepting' },
        effects: [send({ event: 'call:accept', payload: { callId: CALL_ID } }), { type: 'stop-ringing', reason: 'answered' }],
      },
    ],
    decline: (['declined', 'busy', 'dnd', 'blocked'] as const).map((reason) => {
      const endReason = reason === 'blocked' ? 'declined' : reason;
      return {
        name: `decline (${reason})`,
        event: { type: 'decline' as const, reason, at: AT },
        state: ended(endReason, { endedAt: AT }),
        effects: [send({ event: 'call:reject', payload: { callId: CALL_ID, reason } }), { type: 'stop-ringing' as const, reason: endReason }, ENDED],
      };
    }),
    hangup: [
      {
        name: 'ending a ringing call declines it',
        event: SAMPLE_EVENTS.hangup,
        state: ended('declined'),
        effects: [send({ event: 'call:reject', payload: { callId: CALL_ID, reason: 'declined' } }), { type: 'stop-ringing', reason: 'declined' }, ENDED],
      },
    ],
    'remote-ended': (['answered-elsewhere', 'declined-elsewhere', 'cancelled', 'no-answer'] as const).map((reason) => ({
      name: `the server ends the ring: ${reason}`,
      event: { type: 'remote-ended' as const, reason, at: LATER },
      state: ended(reason),
      effects: [{ type: 'stop-ringing' as const, reason }, ENDED],
    })),
    forgotten: [
      {
        name: 'no longer pending on the server: stop ringing',
        event: SAMPLE_EVENTS.forgotten,
        state: ended('connection-lost'),
        effects: [{ type: 'stop-ringing', reason: 'connection-lost' }, ENDED],
      },
    ],
    'ring-timeout': [
      {
        name: 'the ring deadline passed on this clock: stop ringing, no-answer (also with the server unreachable)',
        event: SAMPLE_EVENTS['ring-timeout'],
        state: ended('no-answer', { endedAt: SAMPLE_EVENTS['ring-timeout'].at }),
        effects: [{ type: 'stop-ringing', reason: 'no-answer' }, ENDED],
      },
    ],
  },
  accepting: {
    'accept-acked': [
      {
        name: 'accepted: active, the callee waits for the offer',
        event: SAMPLE_EVENTS['accept-acked'],
        state: { phase: 'active', answeredAt: LATER, peerConnected: true },
        effects: [{ type: 'answered', initiator: false, restart: false }],
      },
      {
        name: "accepted while the caller's signalling is away: active, peer not connected",
        event: { ...SAMPLE_EVENTS['accept-acked'], peerConnected: false },
        state: { phase: 'active', answeredAt: LATER, peerConnected: false },
        effects: [{ type: 'answered', initiator: false, restart: false }],
      },
      {
        name: 'signals that arrived early are delivered after answered',
        from: () => run(reach.accepting(), SAMPLE_EVENTS['signal-in']),
        event: SAMPLE_EVENTS['accept-acked'],
        state: { phase: 'active', pendingSignals: [] },
        effects: [
          { type: 'answered', initiator: false, restart: false },
          { type: 'deliver-signal', data: SAMPLE_EVENTS['signal-in'].data },
        ],
      },
      {
        name: 'hung up while accepting: hang up as soon as it is accepted',
        from: () => run(reach.accepting(), SAMPLE_EVENTS.hangup),
        event: SAMPLE_EVENTS['accept-acked'],
        state: ended('hangup', { answeredAt: LATER }),
        effects: [{ type: 'answered', initiator: false, restart: false }, send({ event: 'call:hangup', payload: { callId: CALL_ID, reason: 'hangup' } }), ENDED],
      },
    ],
    'accept-failed': [
      {
        name: 'another device won',
        event: SAMPLE_EVENTS['accept-failed'],
        state: ended('answered-elsewhere'),
        effects: [{ type: 'log', level: 'warn', message: `accept of ${CALL_ID} failed: ALREADY_ANSWERED answered elsewhere` }, ENDED],
      },
      {
        name: 'any other refusal',
        event: { ...SAMPLE_EVENTS['accept-failed'], error: { code: 'TIMEOUT', message: 'no ack' } },
        state: ended('failed'),
        effects: [{ type: 'log', level: 'warn', message: `accept of ${CALL_ID} failed: TIMEOUT no ack` }, ENDED],
      },
    ],
    'signal-in': [{ name: 'an early signal is kept', event: SAMPLE_EVENTS['signal-in'], state: { phase: 'accepting', pendingSignals: [SAMPLE_EVENTS['signal-in'].data] }, effects: [] }],
    hangup: [{ name: 'deferred until accepted', event: SAMPLE_EVENTS.hangup, state: { phase: 'accepting', endPending: 'hangup' }, effects: [] }],
    'remote-ended': [{ name: 'ended while accepting', event: { ...SAMPLE_EVENTS['remote-ended'], reason: 'cancelled' }, state: ended('cancelled'), effects: [ENDED] }],
    resumed: [
      {
        name: 'the accept went through while the connection dropped',
        event: { ...SAMPLE_EVENTS.resumed, call: activeCall({ role: 'callee', peer: ALICE }) },
        state: { phase: 'active', answeredAt: LATER },
        effects: [{ type: 'answered', initiator: false, restart: false }],
      },
    ],
    forgotten: [{ name: 'the server no longer knows it', event: SAMPLE_EVENTS.forgotten, state: ended('connection-lost'), effects: [ENDED] }],
    replaced: [
      {
        name: 'a blind transfer completed inside this accept: the leg is over (transferred), its successor named',
        event: SAMPLE_EVENTS.replaced,
        state: ended('transferred', { replacedBy: CALL_ID_2, endedBy: null }),
        effects: [ENDED],
      },
    ],
  },
  active: {
    hangup: [
      ...(['hangup', 'media-failed'] as const).map((reason) => ({
        name: `hang up (${reason})`,
        event: { type: 'hangup' as const, reason, at: LATER },
        state: ended(reason, { endedBy: 'me' }),
        effects: [send({ event: 'call:hangup', payload: { callId: CALL_ID, reason } }), ENDED],
      })),
      {
        name: 'media failed: says when media was last seen, so the talk time excludes the recovery window',
        event: { type: 'hangup' as const, reason: 'media-failed' as const, mediaLastSeenAt: AT, at: LATER },
        state: ended('media-failed', { endedBy: 'me' }),
        effects: [send({ event: 'call:hangup', payload: { callId: CALL_ID, reason: 'media-failed', mediaLastSeenAt: AT } }), ENDED],
      },
    ],
    hold: [{ name: 'hold is sent', event: SAMPLE_EVENTS.hold, state: { held: true }, effects: [send({ event: 'call:hold', payload: { callId: CALL_ID, held: true } })] }],
    'remote-hold': [{ name: 'the other side holds', event: SAMPLE_EVENTS['remote-hold'], state: { remoteHeld: true, held: false }, effects: [] }],
    mute: [
      { name: 'mute: the other side is told', event: SAMPLE_EVENTS.mute, state: { muted: true }, effects: [send({ event: 'call:mute', payload: { callId: CALL_ID, muted: true } })] },
    ],
    'remote-mute': [{ name: 'the other side mutes', event: SAMPLE_EVENTS['remote-mute'], state: { remoteMuted: true, muted: false }, effects: [] }],
    'peer-connection': [{ name: 'the peer drops', event: SAMPLE_EVENTS['peer-connection'], state: { peerConnected: false, phase: 'active' }, effects: [] }],
    'signal-out': [
      {
        name: 'a local signal is sent',
        event: SAMPLE_EVENTS['signal-out'],
        state: { phase: 'active' },
        effects: [send({ event: 'call:signal', payload: { callId: CALL_ID, data: SAMPLE_EVENTS['signal-out'].data } })],
      },
    ],
    'signal-in': [{ name: 'a remote signal goes to the media layer', event: SAMPLE_EVENTS['signal-in'], state: { phase: 'active' }, effects: [{ type: 'deliver-signal', data: SAMPLE_EVENTS['signal-in'].data }] }],
    'remote-ended': [
      { name: 'the other side hangs up', event: { ...SAMPLE_EVENTS['remote-ended'], by: BOB.userId }, state: ended('hangup', { endedBy: 'peer' }), effects: [ENDED] },
      { name: 'ended without saying by whom', event: SAMPLE_EVENTS['remote-ended'], state: ended('hangup', { endedBy: null }), effects: [ENDED] },
    ],
    resumed: [
      {
        name: 'still active after a reconnect: peer state refreshed',
        event: { ...SAMPLE_EVENTS.resumed, call: activeCall({ peerConnected: false, peerHeld: true, peerMuted: true }) },
        state: { phase: 'active', peerConnected: false, remoteHeld: true, remoteMuted: true },
        effects: [],
      },
      {
        name: 'held and muted here: said again (a restarted server forgot them)',
        from: () => run(reach.active(), SAMPLE_EVENTS.hold, SAMPLE_EVENTS.mute),
        event: SAMPLE_EVENTS.resumed,
        state: { phase: 'active', held: true, muted: true },
        effects: [send({ event: 'call:hold', payload: { callId: CALL_ID, held: true } }), send({ event: 'call:mute', payload: { callId: CALL_ID, muted: true } })],
      },
    ],
    forgotten: [{ name: 'the server dropped it while we were away', event: SAMPLE_EVENTS.forgotten, state: ended('connection-lost'), effects: [ENDED] }],
    replaced: [
      {
        name: 'a completed transfer: over here (transferred), no hang-up sent, its successor named',
        event: SAMPLE_EVENTS.replaced,
        state: ended('transferred', { replacedBy: CALL_ID_2, endedBy: null }),
        effects: [ENDED],
      },
    ],
    conference: [
      { name: 'a three-way call starts: the three names are kept', event: SAMPLE_EVENTS.conference, state: { phase: 'active', conference: SAMPLE_EVENTS.conference.conference }, effects: [] },
      {
        name: 'it ends: back to a plain call',
        from: () => run(reach.active(), SAMPLE_EVENTS.conference),
        event: { ...SAMPLE_EVENTS.conference, conference: { ...SAMPLE_EVENTS.conference.conference, active: false } },
        state: { phase: 'active', conference: null },
        effects: [],
      },
    ],
  },
  ended: {},
};
