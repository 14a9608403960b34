import { afterEach, describe, expect, it } from 'vitest';
import { removeDataDir, startServer, type TestServer } from '../../test/support/server';
import { deviceId, RawDevice } from './helpers/raw-device';
import { answeredConsult, transferScene } from './helpers/transfer-rig';
import type { RawServer } from './helpers/raw-server';

const servers: TestServer[] = [];
const opened: RawDevice[] = [];

afterEach(async () => {
  opened.splice(0).forEach((device) => device.close());
  for (const server of servers.splice(0)) {
    await server.stop();
    removeDataDir(server);
  }
});

/** The rig shape transferScene needs, over one server this test kills and restarts. */
function rigOf(server: TestServer): RawServer {
  return {
    server,
    url: server.url,
    async connect(user, name) {
      const device = await RawDevice.connect(server.url, user.accessToken, deviceId(name));
      opened.push(device);
      return device;
    },
  };
}

describe('a transfer across a server restart', () => {
  it('kill -9 during an answered consult; the agent never comes back: past its grace the customer is connected to the expert', async () => {
    const server = await startServer({ env: { CALL_RESUME_GRACE_MS: '5000' } });
    servers.push(server);
    const rig = rigOf(server);
    const scene = await transferScene(rig);
    const { legCallId } = await answeredConsult(scene);
    await server.kill9();
    await server.restart();
    // The customer and the expert come back; the agent does not.
    const c = await rig.connect(scene.customer, scene.customer.user.username);
    const e = await rig.connect(scene.expert, scene.expert.user.username);
    // The customer is still held by the transfer (its hold is stored with the transfer, not only in memory).
    expect(c.all('session:ready')[0]!.activeCalls).toMatchObject([{ callId: scene.callId, held: true, peerHeld: true }]);
    const toCustomer = await c.next('call:replaced', () => true, 15_000);
    expect(toCustomer).toMatchObject({ oldCallId: scene.callId, by: scene.agent.user, call: { peer: scene.expert.user } });
    expect(await e.next('call:replaced', () => true, 15_000)).toMatchObject({ oldCallId: legCallId, call: { callId: toCustomer.call.callId } });
    await c.ok('call:signal', { callId: toCustomer.call.callId, data: { type: 'offer', sdp: 'v=0' } });
    expect((await e.next('call:signal')).callId).toBe(toCustomer.call.callId);
  }, 60_000); // a kill -9 and a restart of the server
});
