import { describe, expect, it } from 'vitest';
import { lineAdmin, newLine } from './helpers/lines';
import { newUser } from './helpers/raw-device';
import { answeredConsult, startTransfer, transferScene } from './helpers/transfer-rig';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer({ CALL_RESUME_GRACE_MS: '1000', RING_TIMEOUT_MS: '2500', ADMIN_USERS: 'line-admin' });

describe("the agent's signalling drops during a consult (design T3, D15)", () => {
  it('back within the grace: nothing changed, the legs and the open transfer come back, and the consult goes on', async () => {
    const scene = await transferScene(rig);
    const { transfer, legCallId } = await answeredConsult(scene);
    scene.a.close();
    await scene.c.next('call:peer-connection', (peer) => !peer.connected);
    const back = await rig.connect(scene.agent, scene.agent.user.username);
    const ready = back.all('session:ready')[0]!;
    expect(ready.activeCalls.map((call) => call.callId).sort()).toEqual([scene.callId, legCallId].sort());
    expect(await back.next('transfer:updated')).toMatchObject({ transferId: transfer.transferId, state: 'consulting', liveLeg: 'leg' });
    expect((await back.ok('transfer:swap', { transferId: transfer.transferId })).transfer.liveLeg).toBe('original');
    await back.ok('transfer:complete', { transferId: transfer.transferId });
    expect(await scene.c.next('call:replaced')).toMatchObject({ oldCallId: scene.callId, call: { peer: scene.expert.user } });
  });

  it('past the grace with the expert answered: the transfer completes by itself, customer and expert are connected', async () => {
    const scene = await transferScene(rig);
    const { legCallId } = await answeredConsult(scene);
    scene.a.close();
    const toCustomer = await scene.c.next('call:replaced', () => true, 10_000);
    const toExpert = await scene.e.next('call:replaced', () => true, 10_000);
    expect(toCustomer).toMatchObject({ oldCallId: scene.callId, by: scene.agent.user, call: { peer: scene.expert.user } });
    expect(toExpert).toMatchObject({ oldCallId: legCallId, call: { callId: toCustomer.call.callId, peer: scene.customer.user } });
    await scene.c.ok('call:signal', { callId: toCustomer.call.callId, data: { type: 'offer', sdp: 'v=0' } });
    expect((await scene.e.next('call:signal')).callId).toBe(toCustomer.call.callId);
  });

  it('past the grace while the expert rings: the consult turns blind, and the expert answering connects the customer', async () => {
    const scene = await transferScene(rig);
    const { legCallId } = await startTransfer(scene, 'consult');
    scene.a.close();
    // Past the agent's grace (1 s), before the leg's ring deadline (2.5 s): the leg still rings.
    await new Promise((resolve) => setTimeout(resolve, 1_400));
    await scene.e.ok('call:accept', { callId: legCallId });
    const replaced = await scene.c.next('call:replaced');
    expect(replaced).toMatchObject({ oldCallId: scene.callId, call: { peer: scene.expert.user } });
  });

  it('past the grace while the expert rings, and nobody answers: the customer is not left on hold; the call ends connection-lost', async () => {
    const scene = await transferScene(rig);
    const { legCallId } = await startTransfer(scene, 'consult');
    scene.a.close();
    expect(await scene.e.next('call:ended', (ended) => ended.callId === legCallId, 10_000)).toMatchObject({ reason: 'no-answer' });
    expect(await scene.c.next('call:ended', (ended) => ended.callId === scene.callId, 10_000)).toMatchObject({ reason: 'connection-lost' });
  });

  it('the same with a line call: the customer returns to the front of its line instead (D14, D15)', async () => {
    const [agent, customer, expert] = await Promise.all(['ll-agent', 'll-cust', 'll-expert'].map((name) => newUser(rig.url, name)));
    const line = await newLine(rig.url, await lineAdmin(rig.url), [agent!], { strategy: 'ring-all' });
    const a = await rig.connect(agent!, 'll-a');
    const c = await rig.connect(customer!, 'll-c');
    const e = await rig.connect(expert!, 'll-e');
    const { callId } = await c.ok('call:invite', { to: line.name, media: 'audio' });
    await a.next('call:incoming', (call) => call.callId === callId);
    await a.ok('call:accept', { callId });
    const { transfer } = await a.ok('call:transfer', { callId, to: expert!.user.username, mode: 'consult' });
    await e.next('call:incoming', (call) => call.callId === transfer.legCallId);
    a.close();
    expect(await e.next('call:ended', (ended) => ended.callId === transfer.legCallId, 10_000)).toMatchObject({ reason: 'no-answer' });
    expect(await c.next('call:queued', undefined, 10_000)).toMatchObject({ oldCallId: callId, queued: { line: { lineId: line.lineId }, queue: { position: 1 } } });
    await c.settle();
    expect(c.all('call:ended', (ended) => ended.callId === callId)).toEqual([]);
  });
});
