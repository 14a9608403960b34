import { describe, expect, it } from 'vitest';
import { ALICE, AT, BOB, CALL_ID, LATER, SAMPLE_EVENTS, activeCall, incomingCall } from '../testing/fixtures';
import { idleCall, toView, transition } from './model';
import { TRANSITIONS } from './table';
import { CALL_EVENT_TYPES, MODEL_PHASES } from './types';
import type { CallEffect, CallEvent, CallEventType, CallState, ModelPhase, Transition } from './types';

function run(state: CallState, ...events: CallEvent[]): CallState {
  return events.reduce((s, e) => {
    const t = transition(s, e);
    if (t.ignored) throw new Error(`setup event ignored: ${t.ignored}`);
    return t.state;
  }, state);
}

/** A call in each phase, reached through the model itself. */
const reach: Record<ModelPhase, () => CallState> = {
  idle: () => idleCall('local-1'),
  inviting: () => run(idleCall('local-1'), SAMPLE_EVENTS.dial),
  calling: () => run(reach.inviting(), SAMPLE_EVENTS['invite-acked']),
  ringback: () => run(reach.calling(), SAMPLE_EVENTS['remote-ringing']),
  incoming: () => run(idleCall(CALL_ID), SAMPLE_EVENTS.incoming),
  accepting: () => run(reach.incoming(), SAMPLE_EVENTS.answer),
  active: () => run(reach.ringback(), SAMPLE_EVENTS['remote-accepted']),
  ended: () => run(reach.active(), SAMPLE_EVENTS.hangup),
};

const sends = (t: Transition) => t.effects.flatMap((e) => (e.type === 'send' ? [e.message] : []));
const ofType = <T extends CallEffect['type']>(t: Transition, type: T) => t.effects.filter((e): e is Extract<CallEffect, { type: T }> => e.type === type);

interface Case {
  name: string;
  from?: () => CallState;
  event: CallEvent;
  check: (t: Transition, before: CallState) => void;
}
type Cases = { [P in ModelPhase]: { [T in CallEventType]?: Case[] } };

function expectEnded(t: Transition, reason: string) {
  expect(t.state.phase).toBe('ended');
  expect(t.state.endReason).toBe(reason);
  expect(t.state.endedAt).not.toBeNull();
  expect(ofType(t, 'ended')).toHaveLength(1);
}

const outgoingUnansweredCases = (phase: 'calling' | 'ringback') => ({
  'remote-accepted': [
    {
      name: 'the callee answered: active, the caller creates the offer',
      event: SAMPLE_EVENTS['remote-accepted'],
      check: (t: Transition) => {
        expect(t.state).toMatchObject({ phase: 'active', peerDeviceId: 'device-bob-1', answeredAt: LATER, peerConnected: true });
        expect(ofType(t, 'answered')).toEqual([{ type: 'answered', initiator: true }]);
      },
    },
  ],
  hangup: [
    {
      name: 'the caller gives up: cancel',
      event: SAMPLE_EVENTS.hangup,
      check: (t: Transition) => {
        expectEnded(t, 'cancelled');
        expect(sends(t)).toEqual([{ event: 'call:cancel', payload: { callId: CALL_ID } }]);
      },
    },
  ],
  'remote-ended': (['declined', 'busy', 'dnd', 'no-answer', 'cancelled'] as const).map((reason) => ({
    name: `the server ends it: ${reason}`,
    event: { type: 'remote-ended' as const, reason, at: LATER },
    check: (t: Transition) => {
      expectEnded(t, reason);
      expect(sends(t)).toEqual([]);
      expect(ofType(t, 'stop-ringing')).toEqual([]);
    },
  })),
  resumed: [
    {
      name: `answered while this device was away (${phase})`,
      event: SAMPLE_EVENTS.resumed,
      check: (t: Transition) => {
        expect(t.state.phase).toBe('active');
        expect(ofType(t, 'answered')).toEqual([{ type: 'answered', initiator: true }]);
      },
    },
  ],
  forgotten: [{ name: 'the server no longer knows it', event: SAMPLE_EVENTS.forgotten, check: (t: Transition) => expectEnded(t, 'connection-lost') }],
});

const CASES: Cases = {
  idle: {
    dial: [
      {
        name: 'dial sends the invite',
        event: SAMPLE_EVENTS.dial,
        check: (t) => {
          expect(t.state).toMatchObject({ phase: 'inviting', direction: 'outgoing', media: 'audio', startedAt: AT });
          expect(t.state.peer.username).toBe('bob');
          expect(sends(t)).toEqual([{ event: 'call:invite', payload: { to: 'bob', media: 'audio' } }]);
        },
      },
    ],
    incoming: [
      ...[
        { silent: false, waiting: false },
        { silent: true, waiting: false },
        { silent: false, waiting: true },
      ].map((ring) => ({
        name: `rings (silent=${ring.silent}, waiting=${ring.waiting})`,
        event: { ...SAMPLE_EVENTS.incoming, decision: { action: 'ring' as const, ...ring } },
        check: (t: Transition) => {
          expect(t.state).toMatchObject({ id: CALL_ID, phase: 'incoming', direction: 'incoming', peer: ALICE, ...ring });
          expect(sends(t)).toEqual([{ event: 'call:ringing', payload: { callId: CALL_ID, silent: ring.silent } }]);
          expect(ofType(t, 'start-ringing')).toEqual([{ type: 'start-ringing', ...ring }]);
        },
      })),
      ...([
        ['blocked', 'declined'],
        ['dnd', 'dnd'],
        ['busy', 'busy'],
      ] as const).map(([reason, endReason]) => ({
        name: `the ring policy rejects it (${reason}) without ringing`,
        event: { ...SAMPLE_EVENTS.incoming, decision: { action: 'reject' as const, reason } },
        check: (t: Transition) => {
          expect(t.state).toMatchObject({ phase: 'ended', endReason });
          expect(sends(t)).toEqual([{ event: 'call:reject', payload: { callId: CALL_ID, reason } }]);
          expect(ofType(t, 'start-ringing')).toEqual([]);
          expect(ofType(t, 'ended')).toEqual([]);
        },
      })),
    ],
  },
  inviting: {
    'invite-acked': [
      {
        name: 'delivered: calling, with the server callId and callee',
        event: SAMPLE_EVENTS['invite-acked'],
        check: (t) => {
          expect(t.state).toMatchObject({ id: CALL_ID, phase: 'calling', peer: BOB });
          expect(t.effects).toEqual([]);
        },
      },
      {
        name: 'unavailable: ended at once, nothing sent',
        event: { ...SAMPLE_EVENTS['invite-acked'], status: 'unavailable' },
        check: (t) => {
          expectEnded(t, 'unavailable');
          expect(sends(t)).toEqual([]);
        },
      },
      {
        name: 'hung up before the ack: cancel as soon as the callId is known',
        from: () => run(reach.inviting(), SAMPLE_EVENTS.hangup),
        event: SAMPLE_EVENTS['invite-acked'],
        check: (t) => {
          expectEnded(t, 'cancelled');
          expect(sends(t)).toEqual([{ event: 'call:cancel', payload: { callId: CALL_ID } }]);
        },
      },
    ],
    'invite-failed': [
      {
        name: 'refused: ended failed and logged',
        event: SAMPLE_EVENTS['invite-failed'],
        check: (t) => {
          expectEnded(t, 'failed');
          expect(ofType(t, 'log')[0]?.message).toContain('USER_NOT_FOUND');
        },
      },
    ],
    hangup: [
      {
        name: 'no callId yet: the hang-up is deferred',
        event: SAMPLE_EVENTS.hangup,
        check: (t) => {
          expect(t.state).toMatchObject({ phase: 'inviting', endPending: 'hangup' });
          expect(t.effects).toEqual([]);
        },
      },
    ],
  },
  calling: {
    ...outgoingUnansweredCases('calling'),
    'remote-ringing': [
      {
        name: 'a callee device rings: ringback',
        event: SAMPLE_EVENTS['remote-ringing'],
        check: (t) => {
          expect(t.state.phase).toBe('ringback');
          expect(t.effects).toEqual([{ type: 'ringback' }]);
        },
      },
    ],
  },
  ringback: {
    ...outgoingUnansweredCases('ringback'),
    'remote-ringing': [
      {
        name: 'another callee device rings: nothing new',
        event: SAMPLE_EVENTS['remote-ringing'],
        check: (t, before) => {
          expect(t.state).toBe(before);
          expect(t.effects).toEqual([]);
        },
      },
    ],
  },
  incoming: {
    answer: [
      {
        name: 'answer sends accept and stops the ring at once',
        event: SAMPLE_EVENTS.answer,
        check: (t) => {
          expect(t.state.phase).toBe('accepting');
          expect(sends(t)).toEqual([{ event: 'call:accept', payload: { callId: CALL_ID } }]);
          expect(ofType(t, 'stop-ringing')).toEqual([{ type: 'stop-ringing', reason: 'answered' }]);
        },
      },
    ],
    decline: (['declined', 'busy', 'dnd', 'blocked'] as const).map((reason) => ({
      name: `decline (${reason})`,
      event: { type: 'decline' as const, reason, at: AT },
      check: (t: Transition) => {
        expectEnded(t, reason === 'blocked' ? 'declined' : reason);
        expect(sends(t)).toEqual([{ event: 'call:reject', payload: { callId: CALL_ID, reason } }]);
        expect(ofType(t, 'stop-ringing')).toHaveLength(1);
      },
    })),
    hangup: [
      {
        name: 'ending a ringing call declines it',
        event: SAMPLE_EVENTS.hangup,
        check: (t) => {
          expectEnded(t, 'declined');
          expect(sends(t)).toEqual([{ event: 'call:reject', payload: { callId: CALL_ID, reason: 'declined' } }]);
        },
      },
    ],
    'remote-ended': (['answered-elsewhere', 'declined-elsewhere', 'cancelled', 'no-answer'] as const).map((reason) => ({
      name: `the server ends the ring: ${reason}`,
      event: { type: 'remote-ended' as const, reason, at: LATER },
      check: (t: Transition) => {
        expectEnded(t, reason);
        expect(ofType(t, 'stop-ringing')).toEqual([{ type: 'stop-ringing', reason }]);
        expect(sends(t)).toEqual([]);
      },
    })),
    forgotten: [
      {
        name: 'no longer pending on the server: stop ringing',
        event: SAMPLE_EVENTS.forgotten,
        check: (t) => {
          expectEnded(t, 'connection-lost');
          expect(ofType(t, 'stop-ringing')).toHaveLength(1);
        },
      },
    ],
  },
  accepting: {
    'accept-acked': [
      {
        name: 'accepted: active, the callee waits for the offer',
        event: SAMPLE_EVENTS['accept-acked'],
        check: (t) => {
          expect(t.state).toMatchObject({ phase: 'active', answeredAt: LATER });
          expect(t.effects).toEqual([{ type: 'answered', initiator: false }]);
        },
      },
      {
        name: 'signals that arrived early are delivered after answered',
        from: () => run(reach.accepting(), SAMPLE_EVENTS['signal-in']),
        event: SAMPLE_EVENTS['accept-acked'],
        check: (t) => {
          expect(t.effects).toEqual([
            { type: 'answered', initiator: false },
            { type: 'deliver-signal', data: SAMPLE_EVENTS['signal-in'].data },
          ]);
          expect(t.state.pendingSignals).toEqual([]);
        },
      },
      {
        name: 'hung up while accepting: hang up as soon as it is accepted',
        from: () => run(reach.accepting(), SAMPLE_EVENTS.hangup),
        event: SAMPLE_EVENTS['accept-acked'],
        check: (t) => {
          expectEnded(t, 'hangup');
          expect(sends(t)).toEqual([{ event: 'call:hangup', payload: { callId: CALL_ID, reason: 'hangup' } }]);
        },
      },
    ],
    'accept-failed': [
      { name: 'another device won', event: SAMPLE_EVENTS['accept-failed'], check: (t) => expectEnded(t, 'answered-elsewhere') },
      {
        name: 'any other refusal',
        event: { ...SAMPLE_EVENTS['accept-failed'], error: { code: 'TIMEOUT', message: 'no ack' } },
        check: (t) => expectEnded(t, 'failed'),
      },
    ],
    'signal-in': [
      {
        name: 'an early signal is kept',
        event: SAMPLE_EVENTS['signal-in'],
        check: (t) => {
          expect(t.state.pendingSignals).toEqual([SAMPLE_EVENTS['signal-in'].data]);
          expect(t.effects).toEqual([]);
        },
      },
    ],
    hangup: [{ name: 'deferred until accepted', event: SAMPLE_EVENTS.hangup, check: (t) => expect(t.state).toMatchObject({ phase: 'accepting', endPending: 'hangup' }) }],
    'remote-ended': [{ name: 'ended while accepting', event: { ...SAMPLE_EVENTS['remote-ended'], reason: 'cancelled' }, check: (t) => expectEnded(t, 'cancelled') }],
    resumed: [
      {
        name: 'the accept went through while the connection dropped',
        event: { ...SAMPLE_EVENTS.resumed, call: activeCall({ role: 'callee', peer: ALICE }) },
        check: (t) => {
          expect(t.state.phase).toBe('active');
          expect(ofType(t, 'answered')).toEqual([{ type: 'answered', initiator: false }]);
        },
      },
    ],
    forgotten: [{ name: 'the server no longer knows it', event: SAMPLE_EVENTS.forgotten, check: (t) => expectEnded(t, 'connection-lost') }],
  },
  active: {
    hangup: (['hangup', 'media-failed'] as const).map((reason) => ({
      name: `hang up (${reason})`,
      event: { type: 'hangup' as const, reason, at: LATER },
      check: (t: Transition) => {
        expectEnded(t, reason);
        expect(sends(t)).toEqual([{ event: 'call:hangup', payload: { callId: CALL_ID, reason } }]);
      },
    })),
    hold: [
      {
        name: 'hold is sent',
        event: SAMPLE_EVENTS.hold,
        check: (t) => {
          expect(t.state.held).toBe(true);
          expect(sends(t)).toEqual([{ event: 'call:hold', payload: { callId: CALL_ID, held: true } }]);
        },
      },
    ],
    'remote-hold': [{ name: 'the other side holds', event: SAMPLE_EVENTS['remote-hold'], check: (t) => expect(t.state.remoteHeld).toBe(true) }],
    'peer-connection': [
      { name: 'the peer drops', event: SAMPLE_EVENTS['peer-connection'], check: (t) => expect(t.state.peerConnected).toBe(false) },
    ],
    'signal-out': [
      {
        name: 'a local signal is sent',
        event: SAMPLE_EVENTS['signal-out'],
        check: (t) => expect(sends(t)).toEqual([{ event: 'call:signal', payload: { callId: CALL_ID, data: SAMPLE_EVENTS['signal-out'].data } }]),
      },
    ],
    'signal-in': [
      {
        name: 'a remote signal goes to the media layer',
        event: SAMPLE_EVENTS['signal-in'],
        check: (t) => expect(t.effects).toEqual([{ type: 'deliver-signal', data: SAMPLE_EVENTS['signal-in'].data }]),
      },
    ],
    'remote-ended': [
      {
        name: 'the other side hangs up',
        event: SAMPLE_EVENTS['remote-ended'],
        check: (t) => {
          expectEnded(t, 'hangup');
          expect(sends(t)).toEqual([]);
        },
      },
    ],
    resumed: [
      {
        name: 'still active after a reconnect: peer state refreshed',
        event: { ...SAMPLE_EVENTS.resumed, call: activeCall({ peerConnected: false }) },
        check: (t) => {
          expect(t.state).toMatchObject({ phase: 'active', peerConnected: false });
          expect(ofType(t, 'answered')).toEqual([]);
        },
      },
    ],
    forgotten: [{ name: 'the server dropped it while we were away', event: SAMPLE_EVENTS.forgotten, check: (t) => expectEnded(t, 'connection-lost') }],
  },
  ended: {},
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('call model transition table', () => {
  it('has test cases for exactly the rows of the table', () => {
    for (const phase of MODEL_PHASES) {
      expect(Object.keys(CASES[phase]).sort(), `phase ${phase}`).toEqual(Object.keys(TRANSITIONS[phase]).sort());
      for (const [type, cases] of Object.entries(CASES[phase])) expect(cases.length, `${phase}.${type}`).toBeGreaterThan(0);
    }
  });

  for (const phase of MODEL_PHASES) {
    for (const [type, cases] of Object.entries(CASES[phase]) as [CallEventType, Case[]][]) {
      for (const c of cases) {
        it(`${phase} + ${type}: ${c.name}`, () => {
          const before = deepFreeze((c.from ?? reach[phase])());
          expect(before.phase).toBe(phase);
          const snapshot = structuredClone(before);
          const result = transition(before, c.event);
          expect(result.ignored).toBeUndefined();
          expect(before).toEqual(snapshot);
          c.check(result, before);
        });
      }
    }
  }
});

describe('illegal events', () => {
  const illegal = MODEL_PHASES.flatMap((phase) => CALL_EVENT_TYPES.filter((type) => !TRANSITIONS[phase][type]).map((type) => [phase, type] as const));

  it('exist in every phase (the table is not total)', () => {
    for (const phase of MODEL_PHASES) expect(illegal.some(([p]) => p === phase), phase).toBe(true);
    expect(illegal.filter(([p]) => p === 'ended')).toHaveLength(CALL_EVENT_TYPES.length);
  });

  for (const [phase, type] of illegal) {
    it(`${phase} + ${type} is ignored and logged with the reason`, () => {
      const before = deepFreeze(reach[phase]());
      const result = transition(before, SAMPLE_EVENTS[type]);
      expect(result.state).toBe(before);
      expect(result.ignored).toContain(`'${type}'`);
      expect(result.ignored).toContain(`'${phase}'`);
      expect(result.effects).toEqual([{ type: 'log', level: 'warn', message: `ignored: ${result.ignored}` }]);
    });
  }
});

describe('toView', () => {
  it('exposes the public fields and refuses an idle call', () => {
    const view = toView(reach.active());
    expect(view).toMatchObject({ callId: CALL_ID, direction: 'outgoing', phase: 'active', peer: BOB, answeredAt: LATER, endReason: null });
    expect(view).not.toHaveProperty('pendingSignals');
    expect(() => toView(idleCall('x'))).toThrow(/no view/);
  });

  it('keeps an incoming call ringing through the whole sample flow', () => {
    const incoming = run(idleCall(CALL_ID), { ...SAMPLE_EVENTS.incoming, call: incomingCall({ media: 'video' }) });
    expect(toView(incoming)).toMatchObject({ phase: 'incoming', media: 'video', direction: 'incoming' });
  });
});
