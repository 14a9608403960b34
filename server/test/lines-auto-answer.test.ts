import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, type TestClient } from '../../test/support/clients';
import { lineAdmin, newLine } from './helpers/lines';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';

/** Auto-answer for line calls (issue 14) end to end: a PhoneCore agent with the setting on, a raw caller, the real server. */

const rig = useRawServer({ ADMIN_USERS: 'line-admin' });
const clients: TestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

describe('auto-answer for line calls against the server', () => {
  it('a line call answers by itself after the tone while the agent is available; a direct call to the same agent keeps ringing', async () => {
    const admin = await lineAdmin(rig.url);
    const [agentUser, customer] = await Promise.all([newUser(rig.url, 'aaagent'), newUser(rig.url, 'aacus')]);
    const line = await newLine(rig.url, admin, [agentUser!], { strategy: 'ring-all', wrapUp: { mode: 'none', timeMs: 30_000 } });
    const agent = await connectClient(rig.url, agentUser!.user.username, { register: false, ringPolicy: { dnd: 'off', blocklist: [], callWaiting: true, autoAnswerLineCalls: true } });
    clients.push(agent);
    const caller = await rig.connect(customer!, 'aa-cus');

    const direct = await caller.ok('call:invite', { to: agentUser!.user.username, media: 'audio' });
    await agent.waitFor('incoming', (call) => call.callId === direct.callId);
    expect(agent.core.snapshot().autoAnswer).toBeNull();
    await caller.ok('call:cancel', { callId: direct.callId });
    await agent.waitFor('ended', (call) => call.callId === direct.callId);

    const queued = await caller.ok('call:invite', { to: line.name, media: 'audio' });
    const [offered] = await agent.waitFor('incoming', (call) => call.callId === queued.callId);
    expect(offered.line).toMatchObject({ name: line.name });
    expect(agent.core.snapshot().autoAnswer).toMatchObject({ callId: queued.callId });
    expect(agent.notifier.ringing.get(queued.callId)).toEqual({ silent: false, waiting: false });

    expect(await caller.next('call:accepted', (p) => p.callId === queued.callId)).toMatchObject({ by: { userId: agentUser!.user.userId } });
    await agent.waitFor('answered', (call) => call.callId === queued.callId);
    // The server saw no direct call answered: the one that rang first was cancelled, unanswered.
    expect(agent.all('answered').map(([call]) => call.callId)).toEqual([queued.callId]);
    await caller.ok('call:hangup', { callId: queued.callId });
    await agent.waitFor('ended', (call) => call.callId === queued.callId);
  });
});
