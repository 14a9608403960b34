import { describe, expect, it } from 'vitest';
import { newUser } from './helpers/raw-device';
import { answeredConsult, nextCall, startTransfer, transferScene } from './helpers/transfer-rig';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ RING_TIMEOUT_MS: '3000' });

describe('transfer races (design 4.2)', () => {
  it('T1: the customer hangs up during an answered consult: the transfer is cancelled, agent and expert talk on', async () => {
    const scene = await transferScene(rig);
    const { a, c, e, callId } = scene;
    const { transfer, legCallId } = await answeredConsult(scene);
    await c.ok('call:hangup', { callId });
    expect(await a.next('transfer:updated', (view) => view.state === 'cancelled')).toMatchObject({ transferId: transfer.transferId, endReason: 'customer-left' });
    await a.ok('call:signal', { callId: legCallId, data: { type: 'offer', sdp: 'v=0 on' } });
    expect((await e.next('call:signal')).callId).toBe(legCallId);
    await e.settle();
    expect(e.all('call:ended', (ended) => ended.callId === legCallId)).toEqual([]);
  });

  it('T1: the customer hangs up while a blind leg rings: the leg stops ringing (nobody is left to connect)', async () => {
    const scene = await transferScene(rig);
    const { transfer, legCallId } = await startTransfer(scene, 'blind');
    await scene.c.ok('call:hangup', { callId: scene.callId });
    expect(await scene.e.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'cancelled' });
    expect(await scene.a.next('transfer:updated', (view) => view.state === 'cancelled')).toMatchObject({ transferId: transfer.transferId, endReason: 'customer-left' });
  });

  it('T1: the customer hangs up while a consult leg rings: the leg rings on as a plain call, and answering connects agent and expert', async () => {
    const scene = await transferScene(rig);
    const { transfer, legCallId } = await startTransfer(scene, 'consult');
    await scene.c.ok('call:hangup', { callId: scene.callId });
    expect(await scene.a.next('transfer:updated', (view) => view.state === 'cancelled')).toMatchObject({ transferId: transfer.transferId, endReason: 'customer-left' });
    await scene.e.ok('call:accept', { callId: legCallId });
    expect(await scene.a.next('call:accepted', (accepted) => accepted.callId === legCallId)).toMatchObject({ by: scene.expert.user });
    await scene.a.ok('call:signal', { callId: legCallId, data: { type: 'offer', sdp: 'v=0' } });
    expect((await scene.e.next('call:signal')).callId).toBe(legCallId);
  });

  it('T1 in a three-way call: the conference ends for agent and expert, who stay connected', async () => {
    const scene = await transferScene(rig);
    const { transfer, legCallId } = await answeredConsult(scene);
    await scene.a.ok('transfer:merge', { transferId: transfer.transferId, merged: true });
    await scene.c.ok('call:hangup', { callId: scene.callId });
    expect(await scene.e.next('call:conference', (conf) => !conf.conference.active)).toMatchObject({ callId: legCallId });
    await scene.e.ok('call:signal', { callId: legCallId, data: { type: 'offer', sdp: 'v=0' } });
    expect((await scene.a.next('call:signal')).callId).toBe(legCallId);
  });

  it('T4: the expert answers at the moment the agent cancels: the customer is back with the agent, the expert is connected to nobody', async () => {
    const people = await transferScene(rig);
    for (let round = 0; round < 8; round++) {
      const scene = round === 0 ? people : await nextCall(people);
      const { a, c, e, callId } = scene;
      const { transfer, legCallId } = await startTransfer(scene, 'consult');
      const [accept, cancel] = await Promise.all([
        e.request('call:accept', { callId: legCallId }),
        a.request('transfer:cancel', { transferId: transfer.transferId }),
      ]);
      expect(cancel, `round ${round}`).toMatchObject({ ok: true, transfer: { state: 'cancelled', endReason: 'cancelled' } });
      if (accept.ok) {
        // The answer committed first: the cancel hangs the answered leg up.
        expect(await e.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'hangup' });
      } else {
        expect(accept.error.code).toBe('CALL_NOT_FOUND');
        expect(await e.next('call:ended', (ended) => ended.callId === legCallId)).toMatchObject({ reason: 'cancelled' });
      }
      await c.next('call:hold', (hold) => hold.callId === callId && !hold.held);
      expect(c.all('call:hold', (hold) => hold.callId === callId).at(-1)).toMatchObject({ held: false });
      expect(await e.request('call:signal', { callId: legCallId, data: { type: 'offer', sdp: 'v=0' } })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
      await c.ok('call:signal', { callId, data: { type: 'offer', sdp: 'v=0' } });
      expect((await a.next('call:signal', (signal) => signal.callId === callId)).callId).toBe(callId);
      await c.ok('call:hangup', { callId });
    }
  });

  it('T5: two transfers of one call started at once (both ends): exactly one wins, the other gets TRANSFER_CONFLICT', async () => {
    const people = await transferScene(rig);
    const other = await newUser(rig.url, 'other');
    const o = await rig.connect(other, other.user.username);
    for (let round = 0; round < 8; round++) {
      const scene = round === 0 ? people : await nextCall(people);
      const incomingBefore = scene.e.all('call:incoming').length + o.all('call:incoming').length;
      const [fromAgent, fromCustomer] = await Promise.all([
        scene.a.request('call:transfer', { callId: scene.callId, to: scene.expert.user.username, mode: 'consult' }),
        scene.c.request('call:transfer', { callId: scene.callId, to: other.user.username, mode: 'consult' }),
      ]);
      const results = [fromAgent, fromCustomer];
      expect(results.filter((ack) => ack.ok), `round ${round}`).toHaveLength(1);
      expect(results.find((ack) => !ack.ok)).toMatchObject({ ok: false, error: { code: 'TRANSFER_CONFLICT' } });
      // Only the winner's target rings.
      await scene.e.settle();
      await o.settle();
      expect(scene.e.all('call:incoming').length + o.all('call:incoming').length - incomingBefore).toBe(1);
      // The winner cancels (its leg stops ringing), and the call ends before the next round.
      const winner = fromAgent.ok ? { device: scene.a, transfer: fromAgent.transfer } : { device: scene.c, transfer: fromCustomer.ok ? fromCustomer.transfer : null };
      // (On a slow machine the leg may already have rung out: then the transfer is over by itself.)
      const cancelled = await winner.device.request('transfer:cancel', { transferId: winner.transfer!.transferId });
      if (!cancelled.ok) expect(cancelled.error.code).toBe('INVALID_STATE');
      await scene.c.ok('call:hangup', { callId: scene.callId });
    }
  });

  it('complete against the expert hanging up: whichever commits first, the customer is never on a half-made call', async () => {
    const people = await transferScene(rig);
    for (let round = 0; round < 5; round++) {
      const scene = round === 0 ? people : await nextCall(people);
      const { transfer, legCallId } = await answeredConsult(scene);
      const [complete] = await Promise.all([
        scene.a.request('transfer:complete', { transferId: transfer.transferId }),
        scene.e.request('call:hangup', { callId: legCallId }),
      ]);
      if (complete.ok) {
        expect(complete.transfer.state).toBe('completed');
        const replaced = await scene.c.next('call:replaced', (call) => call.oldCallId === scene.callId);
        await scene.c.ok('call:hangup', { callId: replaced.call.callId });
      } else {
        // The hang-up got there first: the leg is gone (CALL_NOT_FOUND) or the transfer already ended with it (INVALID_STATE).
        expect(['CALL_NOT_FOUND', 'INVALID_STATE']).toContain(complete.error.code);
        expect(await scene.c.next('call:hold', (hold) => hold.callId === scene.callId && !hold.held)).toMatchObject({ callId: scene.callId });
        await scene.c.settle();
        expect(scene.c.all('call:replaced', (call) => call.oldCallId === scene.callId)).toEqual([]);
        await scene.c.ok('call:hangup', { callId: scene.callId });
      }
    }
  });

  it('double swap: two swaps at once never leave both legs live or both held; the customer and the expert are told which (exactly one leg live)', async () => {
    const scene = await transferScene(rig);
    const { transfer } = await answeredConsult(scene);
    const acks = await Promise.all([
      scene.a.request('transfer:swap', { transferId: transfer.transferId }),
      scene.a.request('transfer:swap', { transferId: transfer.transferId }),
    ]);
    const won = acks.filter((ack) => ack.ok);
    expect(won.length).toBeGreaterThanOrEqual(1);
    // Whatever the interleaving, the last state has exactly one leg live, and the customer's last hold says which.
    const last = (await scene.a.ok('transfer:swap', { transferId: transfer.transferId })).transfer;
    await scene.c.settle();
    await scene.e.settle();
    const customerHeld = scene.c.all('call:hold').at(-1)?.held ?? false;
    const expertHeld = scene.e.all('call:hold').at(-1)?.held ?? false;
    expect(customerHeld).toBe(last.liveLeg === 'leg');
    expect(expertHeld).toBe(last.liveLeg === 'original');
  });
});
