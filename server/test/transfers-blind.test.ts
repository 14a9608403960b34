import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { lineAdmin, newLine } from './helpers/lines';
import { newUser } from './helpers/raw-device';
import { startTransfer, transferScene } from './helpers/transfer-rig';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ RING_TIMEOUT_MS: '1500', ADMIN_USERS: 'line-admin' });

/** A customer's call to a line, answered by its only agent (time-boxed wrap-up after it). */
async function answeredLineCall(prefix: string) {
  const admin = await lineAdmin(rig.url);
  const [agent, customer] = await Promise.all([newUser(rig.url, `${prefix}-agent`), newUser(rig.url, `${prefix}-cust`)]);
  const line = await newLine(rig.url, admin, [agent], { strategy: 'ring-all', wrapUp: { mode: 'time-boxed', timeMs: 60_000 } });
  const a = await rig.connect(agent, `${prefix}-a`);
  const c = await rig.connect(customer, `${prefix}-c`);
  const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
  await a.next('call:incoming', (call) => call.callId === callId);
  await a.ok('call:accept', { callId });
  await c.next('call:accepted', (accepted) => accepted.callId === callId);
  return { admin, agent, customer, line, a, c, callId };
}

describe('blind transfer to a person', () => {
  it('holds the customer, rings the target with the context, and on answer connects customer and target on a new linked call', async () => {
    const scene = await transferScene(rig);
    const { agent, customer, expert, a, c, e, callId } = scene;
    const { transfer, legCallId, incoming } = await startTransfer(scene, 'blind');
    expect(transfer).toMatchObject({ kind: 'blind', state: 'ringing', originalCallId: callId, autoComplete: true, customer: customer.user, target: expert.user });
    // The customer is held by the server (hold tone on its side); the target sees who transfers and for whom.
    expect(await c.next('call:hold')).toEqual({ callId, held: true, by: agent.user.userId });
    expect(incoming).toMatchObject({ from: agent.user, context: { kind: 'transfer', by: agent.user, for: customer.user } });

    await e.ok('call:accept', { callId: legCallId });
    const toCustomer = await c.next('call:replaced');
    const toExpert = await e.next('call:replaced');
    expect(toCustomer).toMatchObject({ oldCallId: callId, by: agent.user, call: { peer: expert.user, role: 'caller', peerDeviceId: e.deviceId, held: false, conversationId: callId, transferredBy: agent.user } });
    expect(toExpert).toMatchObject({ oldCallId: legCallId, by: agent.user, call: { callId: toCustomer.call.callId, peer: customer.user, role: 'callee', peerDeviceId: c.deviceId, conversationId: callId } });
    const newCallId = toCustomer.call.callId;
    expect(newCallId).not.toBe(callId);
    expect(newCallId).not.toBe(legCallId);
    // The agent's two legs end `transferred`; it was never connected to the target.
    expect(await a.next('call:ended', (ended) => ended.callId === callId)).toMatchObject({ reason: 'transferred' });
    expect(await a.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'transferred' });
    expect(a.all('call:accepted', (accepted) => accepted.callId === legCallId)).toEqual([]);
    expect(await a.next('transfer:updated', (view) => view.state === 'completed')).toMatchObject({ newCallId });
    // The customer's old call is over without call:ended (call:replaced said so).
    await c.settle();
    expect(c.all('call:ended', (ended) => ended.callId === callId)).toEqual([]);

    // The new call is a real call: signals flow customer <-> expert, and the agent is out of both old calls.
    await c.ok('call:signal', { callId: newCallId, data: { type: 'offer', sdp: 'v=0 new' } });
    expect((await e.next('call:signal')).callId).toBe(newCallId);
    expect(await a.request('call:signal', { callId, data: { type: 'offer', sdp: 'v=0' } })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(await c.request('call:hangup', { callId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    await e.ok('call:hangup', { callId: newCallId });
    await c.next('call:ended', (ended) => ended.callId === newCallId);

    // History shows one conversation with its legs: the original, the transfer leg and the new call.
    const history = await api<HistoryResponse>(rig.url, 'GET', '/api/history?limit=10', undefined, customer.accessToken);
    const legs = history.calls.filter((entry) => entry.conversationId === callId);
    expect(legs.map((entry) => [entry.callId, entry.legKind, entry.parentCallId]).sort()).toEqual(
      [
        [callId, 'direct', null],
        [newCallId, 'transferred', callId],
      ].sort(),
    );
    const agentHistory = await api<HistoryResponse>(rig.url, 'GET', '/api/history?limit=10', undefined, agent.accessToken);
    const original = agentHistory.calls.find((entry) => entry.callId === callId);
    expect(original).toMatchObject({ endReason: 'transferred', transfer: { kind: 'blind', result: 'completed', by: agent.user, target: expert.user } });
    expect(agentHistory.calls.find((entry) => entry.callId === legCallId)).toMatchObject({ legKind: 'transfer', parentCallId: callId, conversationId: callId });
  });

  it('recalls when the target declines: the customer is taken off hold, back with the agent', async () => {
    const scene = await transferScene(rig);
    const { agent, a, c, e, callId } = scene;
    const { legCallId } = await startTransfer(scene, 'blind');
    await c.next('call:hold', (hold) => hold.held);
    await e.ok('call:reject', { callId: legCallId, reason: 'declined' });
    expect(await a.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'declined' });
    expect(await a.next('transfer:updated', (view) => view.state !== 'ringing')).toMatchObject({ state: 'failed', endReason: 'declined' });
    expect(await c.next('call:hold', (hold) => !hold.held)).toEqual({ callId, held: false, by: agent.user.userId });
    // Still connected to the agent.
    await c.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 back' } });
    expect((await a.next('call:signal')).callId).toBe(callId);
  });

  it('recalls when the target does not answer in time', async () => {
    const scene = await transferScene(rig);
    const { a, c, callId } = scene;
    const { legCallId } = await startTransfer(scene, 'blind');
    expect(await a.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'no-answer' });
    expect(await a.next('transfer:updated', (view) => view.state !== 'ringing')).toMatchObject({ state: 'failed', endReason: 'no-answer' });
    expect(await c.next('call:hold', (hold) => !hold.held)).toMatchObject({ callId, held: false });
  });

  it('refuses a target with no connected device, and changes nothing', async () => {
    const scene = await transferScene(rig);
    scene.e.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await scene.a.request('call:transfer', { callId: scene.callId, to: scene.expert.user.username, mode: 'blind' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'TARGET_UNAVAILABLE' } });
    await scene.c.settle();
    expect(scene.c.all('call:hold')).toEqual([]);
    expect(await scene.a.request('call:transfer', { callId: scene.callId, to: 'nobody-here', mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'USER_NOT_FOUND' } });
    expect(await scene.a.request('call:transfer', { callId: scene.callId, to: scene.customer.user.username, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'SELF_CALL' } });
  });
});

describe('blind transfer to a service line (D13) and a failed blind transfer of a line call (D14)', () => {
  it('releases the agent into wrap-up, queues the customer in the target line, and links the call an agent of that line answers', async () => {
    const { admin, agent, customer, a, c, callId } = await answeredLineCall('tl');
    const other = await newUser(rig.url, 'tl-other');
    const target = await newLine(rig.url, admin, [other], { strategy: 'ring-all', wrapUp: { mode: 'none', timeMs: 1_000 } });
    // Only the agent transfers a line call; a line cannot be consulted. Both refusals change nothing.
    expect(await c.request('call:transfer', { callId, to: target.name, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await a.request('call:transfer', { callId, to: target.name, mode: 'consult' })).toMatchObject({ ok: false, error: { code: 'TARGET_UNAVAILABLE' } });
    // A line that turns callers away while nobody staffs it takes no transfer either.
    const closedDoor = await newLine(rig.url, admin, [], { whenNoAgent: 'reject' });
    expect(await a.request('call:transfer', { callId, to: closedDoor.name, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'TARGET_UNAVAILABLE' } });

    const { transfer } = await a.ok('call:transfer', { callId, to: target.name, mode: 'blind' });
    expect(transfer).toMatchObject({ kind: 'blind', state: 'completed', originalCallId: callId, target: { userId: target.lineId, username: target.name } });
    const queued = await c.next('call:queued');
    expect(c.all('call:queued')).toHaveLength(1);
    expect(queued).toMatchObject({ oldCallId: callId, by: agent.user, why: 'transferred', queued: { callId: transfer.newCallId, line: { lineId: target.lineId }, queue: { position: 1, waiting: 1 } } });
    expect(await a.next('call:ended', (ended) => ended.callId === callId)).toMatchObject({ reason: 'transferred' });
    expect((await a.next('agent:status', (status) => status.state === 'wrap-up')).wrapUp).toMatchObject({ callId });

    // The target line's agent comes online, sees who transferred whom, answers: an ordinary call with the customer.
    const o = await rig.connect(other, 'tl-o');
    const offer = await o.next('call:incoming', (call) => call.callId === queued.queued.callId);
    expect(offer).toMatchObject({ from: customer.user, line: { lineId: target.lineId }, context: { kind: 'transfer', by: agent.user, for: customer.user } });
    await o.ok('call:accept', { callId: offer.callId });
    expect(await c.next('call:accepted', (accepted) => accepted.callId === offer.callId)).toMatchObject({ by: other.user });
    await c.ok('call:signal', { callId: offer.callId, data: { type: 'offer', sdp: 'v=0 line' } });
    expect((await o.next('call:signal')).callId).toBe(offer.callId);
    await o.ok('call:hangup', { callId: offer.callId });
    await c.next('call:ended', (ended) => ended.callId === offer.callId);

    const history = await api<HistoryResponse>(rig.url, 'GET', '/api/history?limit=10', undefined, customer.accessToken);
    expect(history.calls.find((entry) => entry.callId === offer.callId)).toMatchObject({ conversationId: callId, parentCallId: callId, outcome: 'answered' });
    expect(history.calls.find((entry) => entry.callId === callId)).toMatchObject({ endReason: 'transferred' });
  });

  it('a line call whose blind transfer is declined returns to the FRONT of its line; the agent goes to wrap-up (a direct call recalls: above)', async () => {
    const { agent, customer, line, a, c, callId } = await answeredLineCall('fq');
    const expert = await newUser(rig.url, 'fq-expert');
    const e = await rig.connect(expert, 'fq-e');
    // Another caller is already waiting (the only agent is busy).
    const waiter = await newUser(rig.url, 'fq-wait');
    const w = await rig.connect(waiter, 'fq-w');
    const waiting = await w.ok('call:invite', { to: line.name, media: 'audio' });
    expect(waiting.queue).toMatchObject({ position: 1 });

    const { transfer } = await a.ok('call:transfer', { callId, to: expert.user.username, mode: 'blind' });
    await e.next('call:incoming', (call) => call.callId === transfer.legCallId);
    await e.ok('call:reject', { callId: transfer.legCallId!, reason: 'declined' });

    const queued = await c.next('call:queued');
    expect(queued).toMatchObject({ oldCallId: callId, by: agent.user, why: 'returned', queued: { line: { lineId: line.lineId }, queue: { position: 1, waiting: 2 } } });
    expect(await a.next('transfer:updated', (view) => view.state !== 'ringing')).toMatchObject({ state: 'failed', endReason: 'declined', newCallId: queued.queued.callId });
    expect(await a.next('call:ended', (ended) => ended.callId === callId)).toMatchObject({ reason: 'transferred' });
    const wrap = await a.next('agent:status', (status) => status.state === 'wrap-up');
    expect(wrap.wrapUp).toMatchObject({ callId });
    // The earlier caller is now second.
    expect(await w.next('line:queue-status', (status) => status.queue.position === 2)).toMatchObject({ callId: waiting.callId });
    // D8: the agent was in wrap-up from the moment its call ended: the customer returned to the line was never offered
    // back to it meanwhile (the line's dispatch ran before the agent's wrap-up had started, and read it as free).
    await a.settle();
    expect(a.all('call:incoming', (call) => call.callId !== callId)).toEqual([]);

    // Done: the agent is offered the returned customer first, not the earlier caller.
    await a.ok('wrapup:done', { callId });
    const offer = await a.next('call:incoming');
    expect(offer).toMatchObject({ callId: queued.queued.callId, from: customer.user });
  });
});
