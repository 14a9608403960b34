import { describe, expect, it } from 'vitest';
import { waitEstimate } from '../../shared/lines/wait-estimate';
import type { AuthResponse } from '../../shared/protocol';
import pg from 'pg';
import { api } from '../../test/support/server';
import { testStore } from '../../test/support/test-store';
import { lineAdmin, newLine } from './helpers/lines';
import { deviceId, newUser, RawDevice } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// Waiting callers hear their position and estimate again every second even when nothing changes.
const rig = useRawServer({ ADMIN_USERS: 'line-admin', LINE_QUEUE_REFRESH_MS: '1000' });

async function people(...names: string[]): Promise<AuthResponse[]> {
  return Promise.all(names.map((name) => newUser(rig.url, name)));
}

describe('service line queue', () => {
  it('ring-all: every available agent rings, the first accept wins, the others hear answered-elsewhere; the call then is an ordinary call', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, ben, cus, dan] = await people('ann', 'ben', 'cus', 'dan');
    // dan is a member with no device connected: offline, so he neither rings nor counts for the wait estimate.
    const line = await newLine(rig.url, admin, [ann!, ben!, dan!], { strategy: 'ring-all', wrapUp: { mode: 'time-boxed', timeMs: 60_000 }, outcomeCodes: [{ code: 'solved', label: 'Solved' }], outcomeRequired: true });
    const a = await rig.connect(ann!, 'ra-ann');
    const b = await rig.connect(ben!, 'ra-ben');
    const c = await rig.connect(cus!, 'ra-cus');

    const invited = await c.ok('call:invite', { to: line.name, media: 'audio' });
    expect(invited).toMatchObject({ status: 'queued', line: { lineId: line.lineId, name: line.name }, queue: { position: 1, waiting: 1 } });
    // Two agents serve (ann and ben available; dan offline); a new line's handle time is its expectedHandleMs.
    expect(invited.queue?.estimate).toEqual(waitEstimate({ position: 1, servingAgents: 2, averageHandleMs: line.expectedHandleMs }));
    const [offerA, offerB] = await Promise.all([a.next('call:incoming'), b.next('call:incoming')]);
    expect(offerA).toMatchObject({ callId: invited.callId, from: { userId: cus!.user.userId }, line: { name: line.name } });
    expect(offerB.callId).toBe(invited.callId);

    expect(await a.ok('call:accept', { callId: invited.callId })).toMatchObject({ caller: { userId: cus!.user.userId }, peerConnected: true });
    expect(await c.next('call:accepted')).toMatchObject({ callId: invited.callId, by: { userId: ann!.user.userId } });
    expect(await b.next('call:ended')).toEqual({ callId: invited.callId, reason: 'answered-elsewhere' });
    expect(await b.request('call:accept', { callId: invited.callId })).toMatchObject({ ok: false });

    // An ordinary answered call: signals relay, hang-up ends it for both.
    await c.ok('call:signal', { callId: invited.callId, data: { type: 'offer', sdp: 'v=0' } });
    expect(await a.next('call:signal')).toMatchObject({ callId: invited.callId, data: { type: 'offer' } });
    await c.ok('call:hangup', { callId: invited.callId });
    await a.next('call:ended', (e) => e.callId === invited.callId);

    // Wrap-up: time-boxed on the server; Done needs the line's required outcome code.
    const wrapping = await a.next('agent:status', (s) => s.state === 'wrap-up');
    expect(wrapping.wrapUp).toMatchObject({ callId: invited.callId, mode: 'time-boxed', outcomeRequired: true, line: { name: line.name } });
    expect(await a.request('wrapup:done', { callId: invited.callId })).toMatchObject({ ok: false, error: { code: 'OUTCOME_REQUIRED' } });
    expect(await a.request('wrapup:save', { callId: invited.callId, notes: 'x', outcomeCode: 'nope', tags: [] })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    // Someone else's wrap-up is the same answer as none at all.
    expect(await b.request('wrapup:save', { callId: invited.callId, notes: 'x', outcomeCode: null, tags: [] })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    const done = await a.ok('wrapup:done', { callId: invited.callId, notes: 'Reset the router', outcomeCode: 'solved', tags: ['router'] });
    expect(done.agent).toMatchObject({ state: 'available', wrapUp: null });

    const records = await api<{ records: Array<{ callId: string; outcome: string; agent: { userId: string } | null; wrapUp: { notes: string; outcomeLabel: string } | null }> }>(
      rig.url,
      'GET',
      `/api/lines/${line.lineId}/records?from=${new Date().toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}`,
      undefined,
      admin.accessToken,
    );
    expect(records.records).toEqual([expect.objectContaining({ callId: invited.callId, outcome: 'answered', agent: expect.objectContaining({ userId: ann!.user.userId }), wrapUp: expect.objectContaining({ notes: 'Reset the router', outcomeLabel: 'Solved' }) })]);

    // The agent's history shows its own wrap-up of the call; the customer's history shows none.
    const historyOf = async (user: AuthResponse) =>
      (await api<{ calls: Array<{ callId: string; wrapUp?: unknown }> }>(rig.url, 'GET', '/api/history', undefined, user.accessToken)).calls.find((call) => call.callId === invited.callId);
    expect((await historyOf(ann!))?.wrapUp).toEqual({
      line: { lineId: line.lineId, name: line.name, displayName: line.displayName },
      notes: 'Reset the router',
      outcomeCode: 'solved',
      outcomeLabel: 'Solved',
      tags: ['router'],
      editUntil: expect.any(String),
    });
    expect((await historyOf(cus!))?.wrapUp).toBeNull();
  });

  it('longest-idle: one agent at a time; a missed offer sets that agent away (missed-offer) and the call moves on; a decline only skips', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, ben, cus] = await people('ann', 'ben', 'cus');
    const line = await newLine(rig.url, admin, [ann!, ben!], { strategy: 'longest-idle', offerTimeoutMs: 2_000, wrapUp: { mode: 'none', timeMs: 1_000 } });
    const a = await rig.connect(ann!, 'li-ann');
    const b = await rig.connect(ben!, 'li-ben');
    const c = await rig.connect(cus!, 'li-cus');
    const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });

    // Exactly one of the two is offered first; the other hears nothing until it times out.
    await waitUntil(() => a.all('call:incoming').length + b.all('call:incoming').length > 0);
    const first = a.all('call:incoming').length > 0 ? a : b;
    const second = first === a ? b : a;
    expect(second.all('call:incoming')).toHaveLength(0);
    expect(await first.next('call:ended', (e) => e.callId === callId, 6_000)).toEqual({ callId, reason: 'no-answer' });
    expect(await first.next('agent:status', (s) => s.state === 'away')).toMatchObject({ reason: 'missed-offer', chosen: 'away' });

    // The next agent gets it; its decline skips it for this call only (it stays available).
    await second.next('call:incoming', (i) => i.callId === callId, 5_000);
    await second.ok('call:reject', { callId, reason: 'declined' });
    await second.settle();
    expect(second.all('agent:status').at(-1)).toMatchObject({ state: 'available' });

    // One click brings the missed agent back. Both skipped this caller (missed, declined): it keeps waiting.
    await first.ok('presence:set', { status: 'online' });
    expect(await first.next('agent:status', (s) => s.state === 'available')).toMatchObject({ reason: null, chosen: 'online' });
    await c.ok('call:cancel', { callId });
    await first.settle();
    expect(first.all('call:incoming')).toHaveLength(1);

    const history = await api<{ calls: Array<{ callId: string; outcome: string }> }>(rig.url, 'GET', '/api/history', undefined, cus!.accessToken);
    expect(history.calls.find((call) => call.callId === callId)).toMatchObject({ outcome: 'abandoned' });
  });

  it('never offers an away, dnd or wrap-up agent; positions move as callers leave; a reject line refuses when nobody staffs it; a non-member cannot answer', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, ben, cus1, cus2, eve] = await people('ann', 'ben', 'cusa', 'cusb', 'eve');
    const line = await newLine(rig.url, admin, [ann!, ben!], { strategy: 'ring-all' });
    const a = await rig.connect(ann!, 'aw-ann');
    const b = await rig.connect(ben!, 'aw-ben');
    await a.ok('presence:set', { status: 'away', reason: 'lunch' });
    expect(await a.next('agent:status', (s) => s.state === 'away')).toMatchObject({ reason: 'lunch' });
    await b.ok('presence:set', { status: 'dnd' });
    const c1 = await rig.connect(cus1!, 'aw-c1');
    const c2 = await rig.connect(cus2!, 'aw-c2');
    const e = await rig.connect(eve!, 'aw-eve');
    const one = await c1.ok('call:invite', { to: line.name, media: 'audio' });
    const two = await c2.ok('call:invite', { to: line.name, media: 'video' });
    expect(one.queue).toMatchObject({ position: 1 });
    expect(two.queue).toMatchObject({ position: 2, waiting: 2, estimate: null });
    // A non-member (and the caller's neighbour) cannot act on the queued call.
    expect(await e.request('call:accept', { callId: one.callId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    await c1.ok('call:cancel', { callId: one.callId });
    expect(await c2.next('line:queue-status', (s) => s.queue.position === 1)).toMatchObject({ callId: two.callId, queue: { waiting: 1 } });
    await a.settle();
    await b.settle();
    expect([...a.all('call:incoming'), ...b.all('call:incoming')]).toEqual([]);
    await c2.ok('call:cancel', { callId: two.callId });

    const strict = await newLine(rig.url, admin, [ann!], { whenNoAgent: 'reject' });
    expect(await c1.ok('call:invite', { to: strict.name, media: 'audio' })).toMatchObject({ status: 'unavailable', devices: 0 });
  });

  it('while every agent is busy and nothing changes, the waiting caller gets refreshed estimates that count down', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, bob, cus] = await people('ann', 'bob', 'cus');
    // 190 s per call, one agent: 0.8 x 190 s rounds to 3 min at first, to 2 min once 2.5 s have passed.
    const line = await newLine(rig.url, admin, [ann!], { expectedHandleMs: 190_000 });
    const a = await rig.connect(ann!, 'rf-ann');
    const b = await rig.connect(bob!, 'rf-bob');
    const c = await rig.connect(cus!, 'rf-cus');
    const direct = await b.ok('call:invite', { to: ann!.user.username, media: 'audio' });
    await a.next('call:incoming', (incoming) => incoming.callId === direct.callId);
    await a.ok('call:accept', { callId: direct.callId });

    const queued = await c.ok('call:invite', { to: line.name, media: 'audio' });
    expect(queued.queue).toMatchObject({ position: 1, estimate: { minMs: 180_000, maxMs: 300_000 } });
    const later = await c.next('line:queue-status', (status) => status.queue.estimate?.minMs === 120_000);
    expect(later).toMatchObject({ callId: queued.callId, queue: { position: 1, waiting: 1, estimate: { maxMs: 300_000 } } });
    expect(a.all('call:incoming', (incoming) => incoming.callId === queued.callId)).toEqual([]);
    await c.ok('call:cancel', { callId: queued.callId });
    await b.ok('call:hangup', { callId: direct.callId });
  });

  it('two agents accepting in the same instant: exactly one wins; the winner in wrap-up is not offered the next caller until its timer ends', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, ben, cus, dan] = await people('ann', 'ben', 'cus', 'dan');
    // dan is a member with no device connected: offline, so he neither rings nor counts for the wait estimate.
    const line = await newLine(rig.url, admin, [ann!, ben!, dan!], { strategy: 'ring-all', wrapUp: { mode: 'time-boxed', timeMs: 1_000 } });
    const a = await rig.connect(ann!, 'tw-ann');
    const b = await rig.connect(ben!, 'tw-ben');
    const c = await rig.connect(cus!, 'tw-cus');
    const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
    await Promise.all([a.next('call:incoming'), b.next('call:incoming')]);
    const acks = await Promise.all([a.request('call:accept', { callId }), b.request('call:accept', { callId })]);
    expect(acks.filter((ack) => ack.ok)).toHaveLength(1);
    expect(acks.find((ack) => !ack.ok)).toMatchObject({ ok: false, error: { code: 'ALREADY_ANSWERED' } });
    const winner = acks[0]?.ok ? a : b;
    await c.next('call:accepted');
    await winner.ok('call:hangup', { callId });
    // The time-boxed wrap-up (1 s) ends on the server's timer: the agent is available again.
    await winner.next('agent:status', (s) => s.state === 'wrap-up');
    // In wrap-up it is not offered the next caller; the other agent is.
    const loser = winner === a ? b : a;
    const second = await c.ok('call:invite', { to: line.name, media: 'audio' });
    await loser.next('call:incoming', (incoming) => incoming.callId === second.callId);
    expect(winner.all('call:incoming', (incoming) => incoming.callId === second.callId)).toEqual([]);
    await c.ok('call:cancel', { callId: second.callId });
    expect(await winner.next('agent:status', (s) => s.state === 'available', 6_000)).toMatchObject({ wrapUp: null });
  });

  // Postgres only: holding the wrap-up table locked from outside is how this test freezes the moment right after a call's
  // end; SQLite has one writer, so a lock held from outside stops every write (the end's included) and shows nothing.
  it.skipIf(testStore() !== 'postgres')('D8: no dispatch ever reads an agent whose line call just ended as free: the wrap-up commits with the end', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, ben, cus, dan] = await people('ann', 'ben', 'cus', 'dan');
    const line = await newLine(rig.url, admin, [ann!, ben!], { strategy: 'ring-all', wrapUp: { mode: 'time-boxed', timeMs: 60_000 } });
    const a = await rig.connect(ann!, 'd8-ann');
    const c = await rig.connect(cus!, 'd8-cus');
    const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
    await a.next('call:incoming', (incoming) => incoming.callId === callId);
    await a.ok('call:accept', { callId });
    await c.next('call:accepted');
    const b = await rig.connect(ben!, 'd8-ben');

    // Nothing may write a wrap-up while the lock is held: whatever writes ann's wrap-up waits right there.
    const lock = new pg.Client({ connectionString: rig.server.databaseUrl });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE call_wrapups IN SHARE MODE');
      const hangup = a.request('call:hangup', { callId });
      await waitUntil(async () => {
        const { rows } = await lock.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks l JOIN pg_class t ON t.oid = l.relation WHERE t.relname = 'call_wrapups' AND NOT l.granted");
        return Number(rows[0]?.n) > 0;
      });
      // A caller arrives now: the dispatch offers it to every routable agent in one round, so once ben rings, ann was
      // either offered in that same round (free to the dispatcher) or not.
      const d = await rig.connect(dan!, 'd8-dan');
      const second = await d.ok('call:invite', { to: line.name, media: 'audio' });
      await b.next('call:incoming', (incoming) => incoming.callId === second.callId);
      await lock.query('COMMIT');
      expect(await hangup).toMatchObject({ ok: true });
      expect(await a.next('agent:status', (status) => status.wrapUp?.callId === callId)).toMatchObject({ state: 'wrap-up' });
      await a.settle();
      expect(a.all('call:incoming', (incoming) => incoming.callId === second.callId)).toEqual([]);
    } finally {
      await lock.end();
    }
  });

  it('outbound calls of a member get the wrap-up of its strictest line, answered or not; inbound direct calls get none', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, cus] = await people('ann', 'cus');
    // Strictest: time-boxed beats optional, then the longest time, then the name (alpha before beta at 90 s).
    await newLine(rig.url, admin, [ann!], { wrapUp: { mode: 'optional', timeMs: 600_000 } });
    await newLine(rig.url, admin, [ann!], { name: `beta-${process.pid}`, wrapUp: { mode: 'time-boxed', timeMs: 90_000 } });
    const alpha = await newLine(rig.url, admin, [ann!], { name: `alpha-${process.pid}`, wrapUp: { mode: 'time-boxed', timeMs: 90_000 } });
    await newLine(rig.url, admin, [ann!], { wrapUp: { mode: 'time-boxed', timeMs: 30_000 } });
    const a = await rig.connect(ann!, 'ob-ann');
    const c = await rig.connect(cus!, 'ob-cus');

    // Inbound direct call to the agent, answered and hung up: no wrap-up.
    const inbound = await c.ok('call:invite', { to: ann!.user.username, media: 'audio' });
    await a.next('call:incoming', (incoming) => incoming.callId === inbound.callId);
    await a.ok('call:accept', { callId: inbound.callId });
    await c.ok('call:hangup', { callId: inbound.callId });
    await a.next('call:ended', (e) => e.callId === inbound.callId);

    // Outbound, declined: wrap-up on the strictest line, and the agent is not routable until Done.
    const declined = await a.ok('call:invite', { to: cus!.user.username, media: 'audio' });
    await c.next('call:incoming', (incoming) => incoming.callId === declined.callId);
    await c.ok('call:reject', { callId: declined.callId, reason: 'declined' });
    const wrapping = await a.next('agent:status', (s) => s.wrapUp?.callId === declined.callId);
    expect(wrapping).toMatchObject({ state: 'wrap-up', wrapUp: { mode: 'time-boxed', line: { lineId: alpha.lineId } } });
    // By now the inbound call's end was handled long ago: it started no wrap-up.
    expect(a.all('agent:status', (s) => s.wrapUp?.callId === inbound.callId)).toEqual([]);
    await a.ok('wrapup:done', { callId: declined.callId, notes: 'No answer, try tomorrow', outcomeCode: null, tags: [] });

    // Outbound, answered: wrap-up too.
    const answered = await a.ok('call:invite', { to: cus!.user.username, media: 'audio' });
    await c.next('call:incoming', (incoming) => incoming.callId === answered.callId);
    await c.ok('call:accept', { callId: answered.callId });
    await a.ok('call:hangup', { callId: answered.callId });
    expect(await a.next('agent:status', (s) => s.wrapUp?.callId === answered.callId)).toMatchObject({ state: 'wrap-up', wrapUp: { line: { lineId: alpha.lineId } } });
    // The customer is no member: its own outbound calls never get a wrap-up.
    expect(c.all('agent:status')).toEqual([]);
  });

  it('a 1.2 client cannot dial a line (told to update) and a 1.2 agent device is never offered a line call', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, cus, old] = await people('ann', 'cus', 'old');
    const line = await newLine(rig.url, admin, [ann!]);
    const legacy = { extraAuth: { protocolVersion: '1.2.0' } };
    const oldCaller = await RawDevice.connect(rig.url, old!.accessToken, deviceId('v12-caller'), legacy);
    const oldAgent = await RawDevice.connect(rig.url, ann!.accessToken, deviceId('v12-agent'), legacy);
    try {
      expect(await oldCaller.request('call:invite', { to: line.name, media: 'audio' })).toMatchObject({ ok: false, error: { code: 'USER_NOT_FOUND', message: expect.stringContaining('update') } });
      const c = await rig.connect(cus!, 'v12-cus');
      const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
      const current = await rig.connect(ann!, 'v13-agent');
      await current.next('call:incoming', (incoming) => incoming.callId === callId);
      await oldAgent.settle();
      expect(oldAgent.all('call:incoming')).toEqual([]);
      // Events added in 1.3 reach the agent's current device through the user's room, never the old one.
      await current.next('agent:status');
      expect(oldAgent.all('agent:status')).toEqual([]);
      await c.ok('call:cancel', { callId });
    } finally {
      oldCaller.close();
      oldAgent.close();
    }
  });
});

describe('a transferred line call', () => {
  it('the records export (JSON and CSV) and the agent wrap-up say it was transferred, to whom, how, and the call it became', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, cus, exp] = await people('ann', 'cus', 'exp');
    const line = await newLine(rig.url, admin, [ann!], { strategy: 'ring-all', wrapUp: { mode: 'optional', timeMs: 60_000 } });
    const a = await rig.connect(ann!, 'tx-ann');
    const c = await rig.connect(cus!, 'tx-cus');
    const e = await rig.connect(exp!, 'tx-exp');
    const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
    await a.next('call:incoming', (call) => call.callId === callId);
    await a.ok('call:accept', { callId });
    await c.next('call:accepted');

    // A consult the agent cancels first (a try the records do not report once a later one completes), then one it completes.
    const first = (await a.ok('call:transfer', { callId, to: exp!.user.username, mode: 'consult' })).transfer;
    await e.next('call:incoming', (call) => call.callId === first.legCallId);
    await a.ok('transfer:cancel', { transferId: first.transferId });
    const { transfer } = await a.ok('call:transfer', { callId, to: exp!.user.username, mode: 'consult' });
    await e.next('call:incoming', (call) => call.callId === transfer.legCallId);
    await e.ok('call:accept', { callId: transfer.legCallId! });
    await a.next('transfer:updated', (view) => view.transferId === transfer.transferId && view.state === 'consulting');
    const newCallId = (await a.ok('transfer:complete', { transferId: transfer.transferId })).transfer.newCallId!;

    const expected = { transferId: transfer.transferId, kind: 'consult', by: ann!.user, target: exp!.user, result: 'completed', endReason: null, newCallId };
    const wrapping = await a.next('agent:status', (s) => s.state === 'wrap-up' || s.wrapUp !== null);
    expect(wrapping.wrapUp).toMatchObject({ callId, transfer: expected });
    await a.ok('wrapup:done', { callId, notes: 'Passed to an expert', outcomeCode: null, tags: [] });

    const day = new Date().toISOString().slice(0, 10);
    const path = `/api/lines/${line.lineId}/records?from=${day}&to=${day}`;
    const { records } = await api<{ records: Array<{ callId: string; endReason: string | null; transfer: unknown }> }>(rig.url, 'GET', path, undefined, admin.accessToken);
    expect(records).toEqual([expect.objectContaining({ callId, endReason: 'transferred', transfer: expect.objectContaining(expected) })]);
    const csv = await (await fetch(`${rig.url}${path}&format=csv`, { headers: { authorization: `Bearer ${admin.accessToken}` } })).text();
    const [header, row] = csv.trim().split('\r\n').map((cells) => cells.split(','));
    const cell = (name: string) => row![header!.indexOf(name)];
    expect([cell('callId'), cell('transferKind'), cell('transferTo'), cell('transferResult'), cell('transferEndReason'), cell('transferNewCallId')]).toEqual([callId, 'consult', exp!.user.username, 'completed', '', newCallId]);
  });
});
