import { describe, expect, it } from 'vitest';
import { BOB, CALL_ID, LATER, SAMPLE_EVENTS, incomingCall } from '../testing/fixtures';
import { reach, run } from '../testing/call-states';
import { TRANSITION_CASES } from '../testing/transition-cases';
import type { TransitionCase } from '../testing/transition-cases';
import { idleCall, toView, transition } from './model';
import { TRANSITIONS } from './table';
import { CALL_EVENT_TYPES, MODEL_PHASES } from './types';
import type { CallEventType } from './types';

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
      expect(Object.keys(TRANSITION_CASES[phase]).sort(), `phase ${phase}`).toEqual(Object.keys(TRANSITIONS[phase]).sort());
      for (const [type, cases] of Object.entries(TRANSITION_CASES[phase])) expect(cases.length, `${phase}.${type}`).toBeGreaterThan(0);
    }
  });

  for (const phase of MODEL_PHASES) {
    for (const [type, cases] of Object.entries(TRANSITION_CASES[phase]) as Array<[CallEventType, TransitionCase[]]>) {
      for (const c of cases) {
        it(`${phase} + ${type}: ${c.name}`, () => {
          const before = deepFreeze((c.from ?? reach[phase])());
          expect(before.phase).toBe(phase);
          const snapshot = structuredClone(before);
          const result = transition(before, c.event);
          expect(result.ignored).toBeUndefined();
          expect(before).toEqual(snapshot); // pure: the input is untouched
          expect(result.state).toMatchObject(c.state);
          expect(result.effects).toEqual(c.effects);
        });
      }
    }
  }
});

describe('illegal events', () => {
  const illegal = MODEL_PHASES.flatMap((phase) => CALL_EVENT_TYPES.filter((type) => !TRANSITIONS[phase][type]).map((type) => [phase, type] as const));

  it('exist in every phase, and nothing is legal once ended', () => {
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
    expect(view).not.toHaveProperty('endPending');
    expect(() => toView(idleCall('x'))).toThrow(/no view/);
  });

  it('shows an incoming video call as ringing', () => {
    const incoming = run(idleCall(CALL_ID), { ...SAMPLE_EVENTS.incoming, call: incomingCall({ media: 'video' }) });
    expect(toView(incoming)).toMatchObject({ phase: 'incoming', media: 'video', direction: 'incoming' });
  });
});
