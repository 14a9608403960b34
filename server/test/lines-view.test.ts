import { describe, expect, it } from 'vitest';
import { api } from '../../test/support/server';
import { lineAdmin, newLine } from './helpers/lines';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ ADMIN_USERS: 'line-admin' });

describe('line view for supervisors', () => {
  it('only supervisors watch; the view shows waiting callers, agents by state and today, live; a restarted agent app keeps its wrap-up', async () => {
    const admin = await lineAdmin(rig.url);
    const [sup, agent, caller, plain] = await Promise.all(['sup', 'agent', 'caller', 'plain'].map((name) => newUser(rig.url, name)));
    const line = await newLine(rig.url, admin, [agent!], { wrapUp: { mode: 'time-boxed', timeMs: 600_000 } });
    await api(rig.url, 'PUT', `/api/users/${sup!.user.username}/roles`, { roles: ['supervisor'] }, admin.accessToken);

    const p = await rig.connect(plain!, 'lv-plain');
    expect(await p.request('line:watch', { lineIds: [line.lineId] })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const s = await rig.connect(sup!, 'lv-sup');
    expect(await s.request('line:watch', { lineIds: ['3fae081b-2367-4a59-9497-34129c9059ab'] })).toMatchObject({ ok: false, error: { code: 'LINE_NOT_FOUND' } });
    const { views } = await s.ok('line:watch', { lineIds: [line.lineId] });
    expect(views).toEqual([expect.objectContaining({ waiting: 0, agents: [expect.objectContaining({ state: 'offline' })], today: expect.objectContaining({ handled: 0, abandonRate: null }) })]);

    const a = await rig.connect(agent!, 'lv-agent');
    await a.ok('presence:set', { status: 'away', reason: 'break' });
    const c = await rig.connect(caller!, 'lv-caller');
    const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
    const waiting = await s.next('line:view', (view) => view.waiting === 1);
    expect(waiting).toMatchObject({ entries: [expect.objectContaining({ callId, state: 'waiting' })], agents: [expect.objectContaining({ state: 'away', reason: 'break' })] });
    expect(waiting.longestWaitSince).not.toBeNull();

    await a.ok('presence:set', { status: 'online' });
    await a.next('call:incoming', (incoming) => incoming.callId === callId);
    await a.ok('call:accept', { callId });
    await c.next('call:accepted');
    await c.ok('call:hangup', { callId });
    await a.next('agent:status', (status) => status.state === 'wrap-up');
    const afterCall = await s.next('line:view', (view) => view.today.handled === 1);
    expect(afterCall).toMatchObject({ waiting: 0, today: { handled: 1, abandoned: 0, abandonRate: 0 } });

    // The agent's app restarts mid-wrap-up: the state and the draft come back in session:ready.
    await a.ok('wrapup:save', { callId, notes: 'half written', outcomeCode: null, tags: ['vip'] });
    a.close();
    const again = await rig.connect(agent!, 'lv-agent');
    const [ready] = again.all('session:ready');
    expect(ready?.agent).toMatchObject({ state: 'wrap-up', wrapUp: { callId, mode: 'time-boxed', draft: { notes: 'half written', tags: ['vip'] } } });
  });
});
