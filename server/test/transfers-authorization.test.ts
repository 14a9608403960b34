import { describe, expect, it } from 'vitest';
import { newUser } from './helpers/raw-device';
import { answeredConsult, transferScene } from './helpers/transfer-rig';
import { useRawServer } from './helpers/raw-server';

const rig = useRawServer();

describe('who may transfer (design 3.8)', () => {
  it('nobody can transfer a call they are not in; nobody but the transferor device can act on a transfer', async () => {
    const scene = await transferScene(rig);
    const mallory = await newUser(rig.url, 'mallory');
    const m = await rig.connect(mallory, mallory.user.username);
    const agentOther = await rig.connect(scene.agent, `${scene.agent.user.username}-desk`);
    const to = scene.expert.user.username;

    // A stranger, and the agent's other device (not the one in the call): as if the call did not exist.
    expect(await m.request('call:transfer', { callId: scene.callId, to, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });
    expect(await agentOther.request('call:transfer', { callId: scene.callId, to, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'CALL_NOT_FOUND' } });

    const { transfer, legCallId } = await answeredConsult(scene);
    for (const device of [m, agentOther, scene.c, scene.e]) {
      for (const [event, payload] of [
        ['transfer:swap', { transferId: transfer.transferId }],
        ['transfer:merge', { transferId: transfer.transferId, merged: true }],
        ['transfer:complete', { transferId: transfer.transferId }],
        ['transfer:cancel', { transferId: transfer.transferId }],
      ] as const) {
        expect(await device.request(event, payload), `${device.deviceId} ${event}`).toMatchObject({ ok: false, error: { code: 'TRANSFER_NOT_FOUND' } });
      }
    }
    // A consult leg cannot itself be transferred, by either of its ends; the customer cannot start a second transfer.
    expect(await scene.e.request('call:transfer', { callId: legCallId, to: mallory.user.username, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await scene.a.request('call:transfer', { callId: legCallId, to: mallory.user.username, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await scene.c.request('call:transfer', { callId: scene.callId, to: mallory.user.username, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'TRANSFER_CONFLICT' } });
    // Nothing above changed the transfer.
    expect((await scene.a.ok('transfer:swap', { transferId: transfer.transferId })).transfer).toMatchObject({ state: 'consulting', liveLeg: 'original' });
  });

  it('an unanswered call cannot be transferred', async () => {
    const caller = await newUser(rig.url, 'caller');
    const callee = await newUser(rig.url, 'callee');
    const x = await rig.connect(caller, caller.user.username);
    const y = await rig.connect(callee, callee.user.username);
    const { callId } = await x.ok('call:invite', { to: callee.user.username, media: 'audio' });
    await y.next('call:incoming');
    expect(await x.request('call:transfer', { callId, to: callee.user.username, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
    expect(await y.request('call:transfer', { callId, to: caller.user.username, mode: 'blind' })).toMatchObject({ ok: false, error: { code: 'INVALID_STATE' } });
  });
});
