import { describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { startTransfer, transferScene } from './helpers/transfer-rig';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ RING_TIMEOUT_MS: '1500' });

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
