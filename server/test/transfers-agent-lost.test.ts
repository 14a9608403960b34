import { describe, expect, it } from 'vitest';
import { answeredConsult, startTransfer, transferScene } from './helpers/transfer-rig';
import { lineAdmin, newLine } from './helpers/lines';
import { newUser } from './helpers/raw-device';
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
    expect(await c.next('call:queued', undefined, 10_000)).toMatchObject({ oldCallId: callId, why: 'returned', queued: { line: { lineId: line.lineId }, queue: { position: 1 } } });
    await c.settle();
    expect(c.all('call:ended', (ended) => ended.callId === callId)).toEqual([]);
  });
});

describe("the agent's signalling drops in a plain line call (D15)", () => {
  it('past the grace: the customer waits again at the front of the line (call:queued, why agent-lost), ahead of a caller who queued earlier, and the next agent gets it first', async () => {
    const admin = await lineAdmin(rig.url);
    const [ann, ben, cus1, cus2] = await Promise.all(['rqann', 'rqben', 'rqcusa', 'rqcusb'].map((name) => newUser(rig.url, name)));
    const line = await newLine(rig.url, admin, [ann!, ben!], { strategy: 'ring-all', wrapUp: { mode: 'optional', timeMs: 30_000 } });
    const a = await rig.connect(ann!, 'rq-ann');
    const c1 = await rig.connect(cus1!, 'rq-cus1');
    const c2 = await rig.connect(cus2!, 'rq-cus2');
    const { callId: lost } = await c1.ok('call:invite', { to: line.name, media: 'audio' });
    await a.next('call:incoming', (incoming) => incoming.callId === lost);
    await a.ok('call:accept', { callId: lost });
    await c1.next('call:accepted');
    const waiting = await c2.ok('call:invite', { to: line.name, media: 'audio' });
    expect(waiting.queue).toMatchObject({ position: 1 });

    a.close();
    const requeued = await c1.next('call:queued', () => true, 10_000);
    expect(requeued).toMatchObject({ oldCallId: lost, by: { userId: ann!.user.userId }, why: 'agent-lost', queued: { line: { lineId: line.lineId }, media: 'audio', queue: { position: 1, waiting: 2 } } });
    expect(requeued.queued.callId).not.toBe(lost);
    expect(await c2.next('line:queue-status', (status) => status.queue.position === 2)).toMatchObject({ callId: waiting.callId });

    // The next agent to come is offered the returned customer first; the answer connects them on the new call.
    const b = await rig.connect(ben!, 'rq-ben');
    expect(await b.next('call:incoming')).toMatchObject({ callId: requeued.queued.callId, from: { userId: cus1!.user.userId } });
    await b.ok('call:accept', { callId: requeued.queued.callId });
    expect(await c1.next('call:accepted')).toMatchObject({ callId: requeued.queued.callId, by: { userId: ben!.user.userId } });
    await c1.settle();
    expect(c1.all('call:ended', (ended) => ended.callId === lost)).toEqual([]);
    // The lost agent's call is over (connection-lost); coming back, the agent is in its wrap-up.
    const back = await rig.connect(ann!, 'rq-ann');
    expect(back.all('session:ready')[0]!.activeCalls).toEqual([]);
    expect((await back.next('agent:status', (status) => status.wrapUp !== null)).wrapUp).toMatchObject({ callId: lost });
  });
});
