import { describe, expect, it } from 'vitest';
import type { AuthResponse, HistoryResponse } from '../../shared/protocol';
import { api } from '../../test/support/server';
import { deviceId, RawDevice } from './helpers/raw-device';
import { answeredConsult, nextCall, startTransfer, transferScene } from './helpers/transfer-rig';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ RING_TIMEOUT_MS: '1500' });

describe('consult transfer', () => {
  it('holds the customer at once, rings the expert with the context, swaps (exactly one leg live) and completes', async () => {
    const scene = await transferScene(rig);
    const { agent, customer, expert, a, c, e, callId } = scene;
    const { transfer, legCallId, incoming } = await startTransfer(scene, 'consult');
    expect(transfer).toMatchObject({ kind: 'consult', state: 'ringing', liveLeg: 'leg', autoComplete: false });
    expect(await c.next('call:hold')).toEqual({ callId, held: true, by: agent.user.userId });
    expect(incoming.context).toEqual({ kind: 'consult', by: agent.user, for: customer.user });

    await e.ok('call:accept', { callId: legCallId });
    expect(await a.next('call:accepted', (accepted) => accepted.callId === legCallId)).toMatchObject({ by: expert.user });
    const consulting = await a.next('transfer:updated', (view) => view.state === 'consulting');
    expect(consulting.liveLeg).toBe('leg');

    // Swap: one server step; afterwards the customer is live and the expert held, then back.
    const swapped = await a.ok('transfer:swap', { transferId: transfer.transferId });
    expect(swapped.transfer.liveLeg).toBe('original');
    expect(await c.next('call:hold')).toEqual({ callId, held: false, by: agent.user.userId });
    expect(await e.next('call:hold')).toEqual({ callId: legCallId, held: true, by: agent.user.userId });
    expect((await a.ok('transfer:swap', { transferId: transfer.transferId })).transfer.liveLeg).toBe('leg');
    expect(await c.next('call:hold')).toEqual({ callId, held: true, by: agent.user.userId });
    expect(await e.next('call:hold')).toEqual({ callId: legCallId, held: false, by: agent.user.userId });

    const done = await a.ok('transfer:complete', { transferId: transfer.transferId });
    expect(done.transfer).toMatchObject({ state: 'completed', newCallId: expect.any(String) });
    const toCustomer = await c.next('call:replaced');
    const toExpert = await e.next('call:replaced');
    expect(toCustomer).toMatchObject({ oldCallId: callId, call: { callId: done.transfer.newCallId, peer: expert.user, held: false, peerHeld: false } });
    expect(toExpert).toMatchObject({ oldCallId: legCallId, call: { callId: done.transfer.newCallId, peer: customer.user } });
    expect(await a.next('call:ended', (ended) => ended.callId === callId)).toMatchObject({ reason: 'transferred' });
    expect(await a.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'transferred' });
    // Both of the agent's legs are over; the transfer cannot be acted on again.
    expect(await a.request('transfer:cancel', { transferId: transfer.transferId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await a.request('call:hangup', { callId: legCallId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
  });

  it('cancel ends the consult leg and takes the customer off hold', async () => {
    const scene = await transferScene(rig);
    const { agent, a, c, e, callId } = scene;
    const { transfer, legCallId } = await answeredConsult(scene);
    const cancelled = await a.ok('transfer:cancel', { transferId: transfer.transferId });
    expect(cancelled.transfer).toMatchObject({ state: 'cancelled', endReason: 'cancelled' });
    expect(await e.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'hangup', by: agent.user.userId });
    expect(await c.next('call:hold', (hold) => !hold.held)).toEqual({ callId, held: false, by: agent.user.userId });
    await c.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 back' } });
    expect((await a.next('call:signal')).callId).toBe(callId);
  });

  it('cancel while the expert rings stops the ring', async () => {
    const scene = await transferScene(rig);
    const { a, c, e, callId } = scene;
    const { transfer, legCallId } = await startTransfer(scene, 'consult');
    await a.ok('transfer:cancel', { transferId: transfer.transferId });
    expect(await e.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'cancelled' });
    expect(await c.next('call:hold', (hold) => !hold.held)).toMatchObject({ callId, held: false });
    expect(await e.request('call:accept', { callId: legCallId })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
  });

  it('the expert declining, being busy (its app refuses the ring), or not answering ends the consult and the customer is back', async () => {
    for (const how of ['declined', 'busy', 'no-answer'] as const) {
      const scene = await transferScene(rig);
      const { transfer, legCallId } = await startTransfer(scene, 'consult');
      if (how !== 'no-answer') await scene.e.ok('call:reject', { callId: legCallId, reason: how });
      const ended = await scene.a.next('transfer:updated', (view) => view.state !== 'ringing');
      expect(ended).toMatchObject({ transferId: transfer.transferId, state: 'cancelled', endReason: how });
      expect(await scene.c.next('call:hold', (hold) => !hold.held)).toMatchObject({ callId: scene.callId, held: false });
    }
  });

  it('the expert hanging up during the consult ends it (target-left) and the customer is back', async () => {
    const scene = await transferScene(rig);
    const { transfer, legCallId } = await answeredConsult(scene);
    await scene.e.ok('call:hangup', { callId: legCallId });
    expect(await scene.a.next('transfer:updated', (view) => view.state === 'cancelled')).toMatchObject({ transferId: transfer.transferId, endReason: 'target-left' });
    expect(await scene.c.next('call:hold', (hold) => !hold.held)).toMatchObject({ callId: scene.callId, held: false });
  });

  it('transfer now: complete while the expert rings completes on answer', async () => {
    const scene = await transferScene(rig);
    const { transfer, legCallId } = await startTransfer(scene, 'consult');
    expect((await scene.a.ok('transfer:complete', { transferId: transfer.transferId })).transfer).toMatchObject({ state: 'ringing', autoComplete: true });
    await scene.e.ok('call:accept', { callId: legCallId });
    const replaced = await scene.c.next('call:replaced');
    expect(replaced.call.peer).toEqual(scene.expert.user);
    expect(await scene.a.next('call:ended', (ended) => ended.callId === scene.callId)).toMatchObject({ reason: 'transferred' });
  });
});

describe('three-way call (merge)', () => {
  it('merges: both unheld, every side told the three names; leaving completes the transfer', async () => {
    const scene = await transferScene(rig);
    const { agent, customer, expert, a, c, e, callId } = scene;
    const { transfer, legCallId } = await answeredConsult(scene);
    const merged = await a.ok('transfer:merge', { transferId: transfer.transferId, merged: true });
    expect(merged.transfer).toMatchObject({ state: 'merged', liveLeg: 'both' });
    expect(await c.next('call:hold', (hold) => !hold.held)).toMatchObject({ callId });
    const parties = [agent.user, customer.user, expert.user];
    const conference = { active: true, parties, hub: agent.user.userId };
    expect(await c.next('call:conference')).toEqual({ callId, conference });
    expect(await e.next('call:conference')).toEqual({ callId: legCallId, conference });
    expect(await a.next('call:conference')).toEqual({ callId, conference });
    expect(await a.request('transfer:swap', { transferId: transfer.transferId })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });

    // Leave = complete: the customer and the expert stay connected on a new call.
    await a.ok('transfer:complete', { transferId: transfer.transferId });
    const replaced = await c.next('call:replaced');
    expect(replaced.call).toMatchObject({ peer: expert.user });
    expect(replaced.call.conference).toBeUndefined();
    expect((await e.next('call:replaced')).call.callId).toBe(replaced.call.callId);
  });

  it('split returns to the consult with the customer live; the expert hanging up in a three-way call leaves customer and agent connected', async () => {
    const scene = await transferScene(rig);
    const { agent, a, c, e, callId } = scene;
    const { transfer, legCallId } = await answeredConsult(scene);
    await a.ok('transfer:merge', { transferId: transfer.transferId, merged: true });
    const split = await a.ok('transfer:merge', { transferId: transfer.transferId, merged: false });
    expect(split.transfer).toMatchObject({ state: 'consulting', liveLeg: 'original' });
    expect(await e.next('call:hold', (hold) => hold.held)).toEqual({ callId: legCallId, held: true, by: agent.user.userId });
    expect(await c.next('call:conference', (conf) => !conf.conference.active)).toMatchObject({ callId });

    await a.ok('transfer:merge', { transferId: transfer.transferId, merged: true });
    await e.ok('call:hangup', { callId: legCallId });
    expect(await a.next('transfer:updated', (view) => view.state === 'cancelled')).toMatchObject({ endReason: 'target-left' });
    expect(await c.next('call:conference', (conf) => !conf.conference.active)).toMatchObject({ callId });
    await c.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0 still' } });
    expect((await a.next('call:signal')).callId).toBe(callId);
  });
});

describe('protocol 1.2 clients (design D18)', () => {
  const legacy = { extraAuth: { protocolVersion: '1.2.0' } };

  it('a customer on a 1.2 app cannot be transferred (PEER_OUTDATED), and nothing changes', async () => {
    const scene = await transferScene(rig);
    const oldCustomer = await RawDevice.connect(rig.url, scene.customer.accessToken, deviceId(`${scene.customer.user.username}-v12`), legacy);
    try {
      const { callId } = await oldCustomer.ok('call:invite', { to: scene.agent.user.username, media: 'audio' });
      await scene.a.next('call:incoming', (call) => call.callId === callId);
      await scene.a.ok('call:accept', { callId });
      for (const mode of ['consult', 'blind'] as const) {
        const refused = await scene.a.request('call:transfer', { callId, to: scene.expert.user.username, mode });
        expect(refused).toMatchObject({ ok: false, error: { code: 'PEER_OUTDATED' } });
      }
      await oldCustomer.settle();
      await scene.e.settle();
      expect(oldCustomer.all('call:hold')).toEqual([]);
      expect(scene.e.all('call:incoming', (call) => call.context !== undefined)).toEqual([]);
    } finally {
      oldCustomer.close();
    }
  });

  it('an expert on a 1.2 app is consulted and merged but cannot be handed the call; it is sent nothing it does not know', async () => {
    const scene = await transferScene(rig);
    scene.e.close();
    const oldExpert = await RawDevice.connect(rig.url, scene.expert.accessToken, deviceId(`${scene.expert.user.username}-v12`), legacy);
    try {
      const { a, c, callId } = scene;
      const to = scene.expert.user.username;
      expect(await a.request('call:transfer', { callId, to, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'PEER_OUTDATED', message: expect.stringContaining('consult') } });
      const { transfer } = await a.ok('call:transfer', { callId, to, mode: 'consult' });
      const legCallId = transfer.legCallId!;
      await oldExpert.next('call:incoming', (call) => call.callId === legCallId);
      await oldExpert.ok('call:accept', { callId: legCallId });
      await a.next('transfer:updated', (view) => view.state === 'consulting');
      const transferId = transfer.transferId;
      await a.ok('transfer:merge', { transferId, merged: true });
      await c.next('call:conference', (conf) => conf.conference.active);
      // Complete (and Leave) is refused while the expert's app is too old; the three-way call goes on.
      expect(await a.request('transfer:complete', { transferId })).toMatchObject({ ok: false, error: { code: 'PEER_OUTDATED' } });
      await oldExpert.ok('call:signal', { callId: legCallId, data: { type: 'offer', sdp: 'v=0 still merged' } });
      expect((await a.next('call:signal', (signal) => signal.callId === legCallId)).data).toMatchObject({ sdp: 'v=0 still merged' });
      await a.ok('transfer:cancel', { transferId });
      expect(await oldExpert.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'hangup' });
      await oldExpert.settle();
      const unknownTo12 = ['transfer:updated', 'call:replaced', 'call:conference', 'agent:status', 'line:queue-status', 'line:view'];
      expect(oldExpert.received.filter((r) => unknownTo12.includes(r.event))).toEqual([]);
      // The same events do reach a current app (the filter is per socket, not per event).
      expect(c.all('call:conference').length).toBeGreaterThan(0);
    } finally {
      oldExpert.close();
    }
  });

  it('the history of a sign-in whose app speaks 1.2 reads the end reason transferred as hangup', async () => {
    const scene = await transferScene(rig);
    const { transfer } = await answeredConsult(scene);
    await scene.a.ok('transfer:complete', { transferId: transfer.transferId });
    await scene.a.next('call:ended', (ended) => ended.callId === scene.callId);
    const history = () => api<HistoryResponse>(rig.url, 'GET', '/api/history?limit=10', undefined, scene.agent.accessToken);
    const original = (page: HistoryResponse) => page.calls.find((entry) => entry.callId === scene.callId);
    expect(original(await history())).toMatchObject({ outcome: 'answered', endReason: 'transferred' });
    scene.a.close();
    const oldApp = await RawDevice.connect(rig.url, scene.agent.accessToken, deviceId(`${scene.agent.user.username}-v12`), legacy);
    try {
      expect(original(await history())).toMatchObject({ outcome: 'answered', endReason: 'hangup' });
    } finally {
      oldApp.close();
    }
  });
});

describe('history of a transferred call', () => {
  it('shows a consult-then-complete as one conversation with its legs to each of the three, and no page splits it', async () => {
    const scene = await transferScene(rig);
    const { customer, agent, expert, a, c, e } = scene;
    // A plain call first (its own conversation), then the call the agent transfers.
    await c.ok('call:hangup', { callId: scene.callId });
    await a.next('call:ended', (ended) => ended.callId === scene.callId);
    const plainCallId = scene.callId;
    const transferred = await nextCall(scene);
    const callId = transferred.callId;
    const { transfer, legCallId } = await answeredConsult(transferred);
    const newCallId = (await a.ok('transfer:complete', { transferId: transfer.transferId })).transfer.newCallId!;
    await c.next('call:replaced');
    await e.next('call:replaced');
    await c.ok('call:hangup', { callId: newCallId });
    await e.next('call:ended', (ended) => ended.callId === newCallId);

    const historyOf = (who: AuthResponse, query = 'limit=10') => api<HistoryResponse>(rig.url, 'GET', `/api/history?${query}`, undefined, who.accessToken);
    const legsOf = (page: HistoryResponse) => page.calls.map((entry) => [entry.callId, entry.conversationId, entry.legKind, entry.peer.username]);
    // Each party's legs of the conversation come together, newest leg first, before the older plain call.
    expect(legsOf(await historyOf(customer))).toEqual([
      [newCallId, callId, 'transferred', expert.user.username],
      [callId, callId, 'direct', agent.user.username],
      [plainCallId, plainCallId, 'direct', agent.user.username],
    ]);
    expect(legsOf(await historyOf(agent))).toEqual([
      [legCallId, callId, 'consult', expert.user.username],
      [callId, callId, 'direct', customer.user.username],
      [plainCallId, plainCallId, 'direct', customer.user.username],
    ]);
    expect(legsOf(await historyOf(expert))).toEqual([
      [newCallId, callId, 'transferred', customer.user.username],
      [legCallId, callId, 'consult', agent.user.username],
    ]);
    const agentsOriginal = (await historyOf(agent)).calls[1]!;
    expect(agentsOriginal).toMatchObject({ endReason: 'transferred', transfer: { kind: 'consult', result: 'completed', target: expert.user } });

    // limit counts conversations: the first page holds the whole conversation, the next the plain call.
    const first = await historyOf(agent, 'limit=1');
    expect(first.calls.map((entry) => entry.callId)).toEqual([legCallId, callId]);
    const second = await historyOf(agent, `limit=1&cursor=${first.nextCursor!}`);
    expect(second.calls.map((entry) => entry.callId)).toEqual([plainCallId]);
    expect(second.nextCursor).toBeNull();
  });
});
