import { describe, expect, it } from 'vitest';
import type { AgentStatus } from '../protocol';
import { ALICE, BOB, CALL_ID, SUPPORT, incomingCall } from '../testing/fixtures';
import { flush, phoneHarness } from '../testing/phone-harness';
import { AUTO_ANSWER_DELAY_MS } from './auto-answer';

/** Auto-answer for line calls (issue 14): the rule and its timer inside PhoneCore. */

const AVAILABLE: AgentStatus = { state: 'available', chosen: 'online', reason: null, since: '2025-01-01T09:00:00.000Z', lines: [SUPPORT], wrapUp: null, offer: null };
const OTHER_CALL = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

function agentPhone(options: { autoAnswer?: boolean; agent?: AgentStatus | null } = {}) {
  const h = phoneHarness({ ringPolicy: { dnd: 'off', blocklist: [], callWaiting: true, autoAnswerLineCalls: options.autoAnswer ?? true } });
  h.online({ agent: options.agent === undefined ? AVAILABLE : options.agent });
  h.transport.respond('call:accept', () => ({ ok: true, caller: ALICE }));
  return h;
}

const lineOffer = (overrides: Parameters<typeof incomingCall>[0] = {}) => incomingCall({ line: SUPPORT, ...overrides });

describe('PhoneCore auto-answer for line calls', () => {
  it('rings first, shows when it will answer, and answers a line call after the delay', async () => {
    const h = agentPhone();
    h.transport.push('call:incoming', lineOffer());
    expect(h.notifier.ringing.get(CALL_ID)).toEqual({ silent: false, waiting: false });
    expect(h.core.snapshot().autoAnswer).toEqual({ callId: CALL_ID, at: new Date(h.clock.now() + AUTO_ANSWER_DELAY_MS).toISOString() });

    h.clock.advance(AUTO_ANSWER_DELAY_MS - 1);
    expect(h.transport.sent('call:accept')).toEqual([]);
    h.clock.advance(1);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([{ callId: CALL_ID }]);
    expect(h.core.snapshot()).toMatchObject({ autoAnswer: null, calls: [{ callId: CALL_ID, phase: 'active' }] });
  });

  it.each([
    ['the setting is off', { autoAnswer: false }, lineOffer()],
    ['it is a direct call', {}, incomingCall()],
    ['it is a consult', {}, lineOffer({ context: { kind: 'consult', by: BOB, for: ALICE } })],
    ['the agent is away', { agent: { ...AVAILABLE, state: 'away', chosen: 'away', reason: 'break' } }, lineOffer()],
    ['the agent is in wrap-up', { agent: { ...AVAILABLE, state: 'wrap-up' } }, lineOffer()],
    ['the agent is on do not disturb', { agent: { ...AVAILABLE, state: 'dnd', chosen: 'dnd' } }, lineOffer()],
    ['this user is no agent', { agent: null }, lineOffer()],
  ] as const)('keeps ringing when %s', async (_why, options, offer) => {
    const h = agentPhone(options as { autoAnswer?: boolean; agent?: AgentStatus | null });
    h.transport.push('call:incoming', offer as ReturnType<typeof incomingCall>);
    expect(h.core.snapshot()).toMatchObject({ autoAnswer: null, calls: [{ callId: CALL_ID, phase: 'incoming' }] });
    h.clock.advance(AUTO_ANSWER_DELAY_MS * 2);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([]);
  });

  it('does not answer a line call that rings while the agent has a call up', async () => {
    const h = agentPhone();
    h.transport.push('call:incoming', incomingCall({ callId: OTHER_CALL }));
    await h.core.answer(OTHER_CALL);
    h.transport.push('call:incoming', lineOffer());
    expect(h.core.snapshot().autoAnswer).toBeNull();
    h.clock.advance(AUTO_ANSWER_DELAY_MS * 2);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([{ callId: OTHER_CALL }]);
  });

  it('does not answer when the agent starts another call during the delay', async () => {
    const h = agentPhone();
    h.transport.respond('call:invite', () => ({ ok: true, callId: OTHER_CALL, status: 'ringing', devices: 1, callee: BOB, ringUntil: '2025-01-01T10:01:00.000Z' }));
    h.transport.push('call:incoming', lineOffer());
    await h.core.call('bob', 'audio');
    h.clock.advance(AUTO_ANSWER_DELAY_MS);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([]);
  });

  it('stopped for this call, it keeps ringing; the next line call answers by itself again', async () => {
    const h = agentPhone();
    h.transport.push('call:incoming', lineOffer());
    expect(h.core.cancelAutoAnswer(CALL_ID)).toBe(true);
    expect(h.core.cancelAutoAnswer(CALL_ID)).toBe(false);
    expect(h.core.snapshot()).toMatchObject({ autoAnswer: null, calls: [{ callId: CALL_ID, phase: 'incoming' }] });
    h.clock.advance(AUTO_ANSWER_DELAY_MS * 2);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([]);

    h.transport.push('call:ended', { callId: CALL_ID, reason: 'cancelled' });
    h.transport.push('call:incoming', lineOffer({ callId: OTHER_CALL }));
    h.clock.advance(AUTO_ANSWER_DELAY_MS);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([{ callId: OTHER_CALL }]);
  });

  it('checks again when the delay ends: an agent who went away meanwhile is not answered for', async () => {
    const h = agentPhone();
    h.transport.push('call:incoming', lineOffer());
    h.transport.push('agent:status', { ...AVAILABLE, state: 'away', chosen: 'away', reason: 'lunch' });
    h.clock.advance(AUTO_ANSWER_DELAY_MS);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([]);
    expect(h.core.snapshot()).toMatchObject({ autoAnswer: null, calls: [{ phase: 'incoming' }] });
  });

  it('a call that stops ringing before the delay is not answered', async () => {
    const h = agentPhone();
    h.transport.push('call:incoming', lineOffer());
    h.transport.push('call:ended', { callId: CALL_ID, reason: 'cancelled' });
    expect(h.core.snapshot().autoAnswer).toBeNull();
    h.clock.advance(AUTO_ANSWER_DELAY_MS);
    await flush();
    expect(h.transport.sent('call:accept')).toEqual([]);
  });
});
