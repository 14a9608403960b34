import { describe, expect, it } from 'vitest';
import type { AgentStatus, LineView, WrapUpTask } from '../protocol';
import { ALICE, BOB, CALL_ID, SUPPORT } from '../testing/fixtures';
import { createHostHandlers } from './host-handlers';
import { flushAll, hostHarness } from './host-test-harness';

/** Support-line agents (issue 14) through the host: state from the server, away with a reason, missed offer, wrap-up, line watch. */

const AT = '2025-01-01T10:00:00.000Z';
function agent(overrides: Partial<AgentStatus> = {}): AgentStatus {
  return { state: 'available', chosen: 'online', reason: null, since: AT, lines: [SUPPORT], wrapUp: null, offer: null, ...overrides };
}
function wrapUp(overrides: Partial<WrapUpTask> = {}): WrapUpTask {
  return {
    callId: CALL_ID,
    line: SUPPORT,
    mode: 'time-boxed',
    startedAt: AT,
    until: '2025-01-01T10:00:30.000Z',
    endedAt: null,
    outcomeCodes: [{ code: 'solved', label: 'Solved' }],
    outcomeRequired: true,
    draft: { notes: '', outcomeCode: null, tags: [] },
    editUntil: '2025-01-02T10:00:00.000Z',
    ...overrides,
  };
}
const snapshotAgent = (h: ReturnType<typeof hostHarness>) => h.core.bridgeSnapshot().agent;

describe('host core: agent state', () => {
  it('comes from the server at connect (it survives an app restart) and follows agent:status', async () => {
    const h = hostHarness();
    await h.online({ roles: ['supervisor'], agent: agent({ state: 'wrap-up', wrapUp: wrapUp() }) });
    expect(h.core.bridgeSnapshot().roles).toEqual(['supervisor']);
    expect(snapshotAgent(h)).toMatchObject({ state: 'wrap-up', wrapUp: { callId: CALL_ID } });

    h.transport.push('agent:status', agent({ state: 'available', since: '2025-01-01T10:00:31.000Z' }));
    await flushAll();
    expect(snapshotAgent(h)).toMatchObject({ state: 'available', wrapUp: null, since: '2025-01-01T10:00:31.000Z' });
  });

  it('away with a reason is one setting change, sent with its reason; another reason alone is sent too', async () => {
    const h = hostHarness();
    await h.online({ agent: agent() });
    h.transport.respond('presence:set', () => ({ ok: true, status: 'away' }));
    await h.core.updateSettings({ status: 'away', awayReason: 'lunch' });
    expect(h.transport.sent('presence:set')).toEqual([{ status: 'away', reason: 'lunch' }]);

    h.transport.push('agent:status', agent({ state: 'away', chosen: 'away', reason: 'lunch' }));
    await flushAll();
    await h.core.updateSettings({ awayReason: 'training' });
    expect(h.transport.sent('presence:set')).toEqual([
      { status: 'away', reason: 'lunch' },
      { status: 'away', reason: 'training' },
    ]);
  });

  it('a missed offer sets the setting to away without adopting the server-only reason; Back to available sends online', async () => {
    const h = hostHarness();
    await h.online({ agent: agent() });
    h.transport.push('agent:status', agent({ state: 'away', chosen: 'away', reason: 'missed-offer' }));
    await flushAll();
    expect(h.core.settings).toMatchObject({ status: 'away', awayReason: 'break' });
    expect(h.transport.sent('presence:set')).toEqual([]); // adopted, not sent back

    h.transport.respond('presence:set', () => ({ ok: true, status: 'online' }));
    await h.core.updateSettings({ status: 'available' });
    expect(h.transport.sent('presence:set')).toEqual([{ status: 'online' }]);
  });

  it('a reason chosen on another device is adopted here', async () => {
    const h = hostHarness();
    await h.online({ agent: agent() });
    h.transport.push('presence:changed', { userId: ALICE.userId, status: 'away' });
    h.transport.push('agent:status', agent({ state: 'away', chosen: 'away', reason: 'meeting' }));
    await flushAll();
    expect(h.core.settings).toMatchObject({ status: 'away', awayReason: 'meeting' });
  });
});

describe('host core: wrap-up and line view handlers', () => {
  it('saves the draft and finishes the wrap-up through the server; the new agent state replaces the old', async () => {
    const h = hostHarness();
    await h.online({ agent: agent({ state: 'wrap-up', wrapUp: wrapUp() }) });
    const handlers = createHostHandlers(h.core);
    const saved = wrapUp({ draft: { notes: 'Reset the router', outcomeCode: 'solved', tags: ['wifi'] } });
    h.transport.respond('wrapup:save', () => ({ ok: true, wrapUp: saved }));
    expect(await handlers['wrapup.save']({ callId: CALL_ID, notes: 'Reset the router', outcomeCode: 'solved', tags: ['wifi'] })).toEqual(saved);
    expect(snapshotAgent(h)?.wrapUp?.draft.notes).toBe('Reset the router');

    h.transport.respond('wrapup:done', () => ({ ok: true, agent: agent() }));
    expect(await handlers['wrapup.done']({ callId: CALL_ID, outcomeCode: 'solved' })).toMatchObject({ state: 'available' });
    expect(h.transport.sent('wrapup:done')).toEqual([{ callId: CALL_ID, outcomeCode: 'solved' }]);
    expect(snapshotAgent(h)).toMatchObject({ state: 'available', wrapUp: null });
  });

  it('a refused Done (outcome required) is a typed error and changes nothing', async () => {
    const h = hostHarness();
    await h.online({ agent: agent({ state: 'wrap-up', wrapUp: wrapUp() }) });
    h.transport.respond('wrapup:done', () => ({ ok: false, error: { code: 'OUTCOME_REQUIRED', message: 'choose an outcome' } }));
    await expect(createHostHandlers(h.core)['wrapup.done']({ callId: CALL_ID })).rejects.toMatchObject({ code: 'OUTCOME_REQUIRED' });
    expect(snapshotAgent(h)?.state).toBe('wrap-up');
  });

  it('watches lines, forwards their snapshots, renews the watch after a reconnect and stops with []', async () => {
    const h = hostHarness();
    await h.online({ roles: ['supervisor'] });
    const view = (waiting: number, at: string): LineView => ({
      line: SUPPORT,
      waiting,
      longestWaitSince: waiting ? AT : null,
      entries: [],
      agents: [{ user: BOB, state: 'available', reason: null, since: AT }],
      today: { handled: 0, abandoned: 0, timedOut: 0, averageHandleMs: null, abandonRate: null },
      at,
    });
    h.transport.respond('line:watch', () => ({ ok: true, views: [view(0, AT)] }));
    const handlers = createHostHandlers(h.core);
    expect(await handlers['lines.watch']({ lineIds: [SUPPORT.lineId] })).toEqual({ views: [view(0, AT)] });

    h.transport.push('line:view', view(1, '2025-01-01T10:00:01.000Z'));
    await flushAll();
    const forwarded = () => h.events.filter((e) => e.name === 'lines.view').map((e) => (e.payload as LineView).waiting);
    expect(forwarded()).toEqual([1]);

    h.transport.drop();
    await flushAll();
    h.transport.acceptConnection();
    h.transport.push('session:ready', (await import('../testing/phone-harness')).sessionReady({ roles: ['supervisor'] }));
    await flushAll();
    expect(h.transport.sent('line:watch')).toEqual([{ lineIds: [SUPPORT.lineId] }, { lineIds: [SUPPORT.lineId] }]);
    expect(forwarded()).toEqual([1, 0]);

    await handlers['lines.watch']({ lineIds: [] });
    h.transport.push('line:view', view(2, '2025-01-01T10:00:02.000Z'));
    await flushAll();
    expect(forwarded()).toEqual([1, 0]);
  });
});

describe('host core: agent state after a missed offer', () => {
  it('choosing away with the reason already in the settings replaces the server-only missed-offer reason', async () => {
    const h = hostHarness();
    await h.online({ agent: agent() });
    h.transport.push('agent:status', agent({ state: 'away', chosen: 'away', reason: 'missed-offer' }));
    await flushAll();
    h.transport.respond('presence:set', () => ({ ok: true, status: 'away' }));
    await h.core.updateSettings({ status: 'away', awayReason: 'break' });
    expect(h.transport.sent('presence:set')).toEqual([{ status: 'away', reason: 'break' }]);
  });
});

describe('the toggle-available shortcut', () => {
  it('available -> away with the settings reason -> available', async () => {
    const h = hostHarness();
    await h.online({ agent: agent() });
    h.transport.respond('presence:set', (p) => ({ ok: true, status: (p as { status: string }).status }));
    await h.core.updateSettings({ awayReason: 'training' });
    await h.core.runShortcut('toggleAvailable');
    expect(h.transport.sent('presence:set')).toEqual([{ status: 'away', reason: 'training' }]);
    h.transport.push('agent:status', agent({ state: 'away', chosen: 'away', reason: 'training' }));
    await flushAll();
    await h.core.runShortcut('toggleAvailable');
    expect(h.transport.sent('presence:set')).toEqual([{ status: 'away', reason: 'training' }, { status: 'online' }]);
  });

  it('in a wrap-up it is Done; when the line needs an outcome the draft lacks it shows the panel instead', async () => {
    const h = hostHarness();
    await h.online({ agent: agent({ state: 'wrap-up', wrapUp: wrapUp() }) });
    await h.core.runShortcut('toggleAvailable');
    expect(h.transport.sent('wrapup:done')).toEqual([]);
    expect(h.presented).toEqual(['wrap-up']);

    h.transport.push('agent:status', agent({ state: 'wrap-up', wrapUp: wrapUp({ draft: { notes: '', outcomeCode: 'solved', tags: [] } }) }));
    await flushAll();
    h.transport.respond('wrapup:done', () => ({ ok: true, agent: agent() }));
    await h.core.runShortcut('toggleAvailable');
    expect(h.transport.sent('wrapup:done')).toEqual([{ callId: CALL_ID }]);
    expect(h.transport.sent('presence:set')).toEqual([]);
  });
});
