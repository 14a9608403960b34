import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BridgeEventName, EventPayload, SoftphoneBridge } from '../../shared/bridge';
import { unwrap } from '../../shared/bridge';
import { startServer, type TestServer } from '../support/server';

/**
 * THE bridge contract suite. It runs, unchanged, against every adapter that implements
 * `window.softphone`: the Electron IPC adapter over a structured-clone transport
 * (electron/main/ipc/bridge-contract.test.ts) and the web host adapter (renderer helper).
 * Every party talks to a real signalling service spawned on a free port.
 *
 * Usage: `defineBridgeContractSuite('my adapter', async ({ name }) => ({ bridge, close }))`.
 */

export interface BridgeParty {
  /** The object a renderer sees as window.softphone. */
  bridge: SoftphoneBridge;
  /** Delivers a link to the host the way its platform would (second instance, open-url, page URL). */
  openLink: (link: string) => void;
  close(): Promise<void>;
}

/** Creates one host + renderer pair; each party is a separate installation (own storage, own device id). */
export type BridgeAdapterFactory = (options: { name: string }) => Promise<BridgeParty>;

const EVENT_TIMEOUT_MS = 10_000;

/** Resolves with the first event `name` whose payload matches; rejects after a generous timeout. */
export function nextEvent<E extends BridgeEventName>(
  bridge: SoftphoneBridge,
  name: E,
  matches: (payload: EventPayload<E>) => boolean = () => true,
): Promise<EventPayload<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} event within ${EVENT_TIMEOUT_MS} ms`));
    }, EVENT_TIMEOUT_MS);
    const off = bridge.on(name, (payload) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

let userCounter = 0;
function uniqueUsername(prefix: string): string {
  userCounter += 1;
  return `${prefix}${Date.now().toString(36)}${userCounter}`.slice(0, 32);
}

export function defineBridgeContractSuite(label: string, createParty: BridgeAdapterFactory): void {
  describe(`bridge contract: ${label}`, () => {
    let server: TestServer;
    const parties: BridgeParty[] = [];

    beforeAll(async () => {
      server = await startServer({ env: { RING_TIMEOUT_MS: '20000' } });
    });
    afterAll(async () => {
      await Promise.all(parties.splice(0).map((party) => party.close()));
      await server?.stop();
    });

    async function party(name: string): Promise<BridgeParty> {
      const created = await createParty({ name });
      parties.push(created);
      return created;
    }

    /** A signed-in party whose phone is online. */
    async function online(prefix: string): Promise<BridgeParty & { username: string }> {
      const created = await party(prefix);
      const username = uniqueUsername(prefix);
      const isOnline = nextEvent(created.bridge, 'phone.snapshot', (s) => s.connection.status === 'online' && s.user?.username === username);
      unwrap(await created.bridge.invoke('auth.register', { username, displayName: `${prefix} Test`, password: `password-${username}`, serverUrl: server.url }));
      await isOnline;
      return { ...created, username };
    }

    it('describes the host and keeps settings, rejecting bad patches without changing anything', async () => {
      const { bridge } = await party('settings');
      const info = unwrap(await bridge.invoke('host.info', {}));
      expect(['electron', 'web']).toContain(info.kind);
      const before = unwrap(await bridge.invoke('settings.get', {}));
      expect(before.shortcuts).toEqual({ answer: null, declineOrHangup: null, toggleMute: null, toggleAvailable: null });

      const changed = nextEvent(bridge, 'settings.changed');
      const after = unwrap(await bridge.invoke('settings.update', { dndMode: 'silent', blocklist: ['mallory'] }));
      expect(after).toMatchObject({ dndMode: 'silent', blocklist: ['mallory'] });
      expect(await changed).toEqual(after);

      const bad = await bridge.invoke('settings.update', { status: 'always' as never });
      expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(unwrap(await bridge.invoke('settings.get', {}))).toEqual(after);
    });

    it('answers bad requests and unknown calls with VALIDATION_FAILED, and phone calls with NOT_SIGNED_IN when signed out', async () => {
      const { bridge } = await party('signedout');
      expect(await bridge.invoke('phone.call', { to: 'NOT VALID', media: 'audio' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(await bridge.invoke('phone.no-such' as never, {} as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(await bridge.invoke('phone.call', { to: 'someone', media: 'audio' })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
      expect(unwrap(await bridge.invoke('auth.session', {})).user).toBeNull();
      const snapshot = unwrap(await bridge.invoke('phone.snapshot', {}));
      expect(snapshot).toMatchObject({ user: null, status: 'signed-out', calls: [] });
    });

    it('signs in with typed errors, remembers the session and signs out', async () => {
      const alice = await online('alice');
      expect(unwrap(await alice.bridge.invoke('auth.session', {})).user?.username).toBe(alice.username);
      const other = await party('wrongpw');
      expect(await other.bridge.invoke('auth.login', { username: alice.username, password: 'not-the-password', serverUrl: server.url })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_CREDENTIALS' },
      });
      const signedOut = nextEvent(alice.bridge, 'phone.snapshot', (s) => s.user === null);
      unwrap(await alice.bridge.invoke('auth.logout', {}));
      expect((await signedOut).status).toBe('signed-out');
    });

    it('rings, answers, relays signals both ways, hangs up, and lists the call in the history', async () => {
      const alice = await online('alice');
      const bob = await online('bob');
      const incoming = nextEvent(bob.bridge, 'phone.incoming');
      const call = unwrap(await alice.bridge.invoke('phone.call', { to: bob.username, media: 'video' }));
      const ringing = await incoming;
      expect(ringing.call).toMatchObject({ callId: call.callId, direction: 'incoming', media: 'video', peer: { username: alice.username } });
      expect(ringing.ring).toMatchObject({ silent: false, waiting: false, ringtone: 'classic' });

      const aliceAnswered = nextEvent(alice.bridge, 'phone.answered');
      const bobAnswered = nextEvent(bob.bridge, 'phone.answered');
      const ringStopped = nextEvent(bob.bridge, 'phone.ringStopped');
      unwrap(await bob.bridge.invoke('phone.answer', { callId: call.callId, withVideo: false }));
      expect(await ringStopped).toEqual({ callId: call.callId, reason: 'answered' });
      expect(await aliceAnswered).toMatchObject({ initiator: true, localMedia: 'video' });
      expect(await bobAnswered).toMatchObject({ initiator: false, localMedia: 'audio' });

      const toBob = nextEvent(bob.bridge, 'phone.signal');
      unwrap(await alice.bridge.invoke('phone.signal', { callId: call.callId, data: { type: 'offer', sdp: 'v=0 offer' } }));
      expect(await toBob).toEqual({ callId: call.callId, data: { type: 'offer', sdp: 'v=0 offer' } });
      const toAlice = nextEvent(alice.bridge, 'phone.signal');
      unwrap(await bob.bridge.invoke('phone.signal', { callId: call.callId, data: { type: 'answer', sdp: 'v=0 answer' } }));
      expect(await toAlice).toEqual({ callId: call.callId, data: { type: 'answer', sdp: 'v=0 answer' } });

      const inCall = unwrap(await bob.bridge.invoke('phone.snapshot', {}));
      expect(inCall.status).toBe('in-call');
      expect(inCall.localMedia[call.callId]).toBe('audio');

      const aliceEnded = nextEvent(alice.bridge, 'phone.ended');
      const bobEnded = nextEvent(bob.bridge, 'phone.ended');
      unwrap(await alice.bridge.invoke('phone.end', { callId: call.callId }));
      expect((await aliceEnded).call.endReason).toBe('hangup');
      expect((await bobEnded).call.endReason).toBe('hangup');

      const history = unwrap(await bob.bridge.invoke('history.list', {}));
      expect(history.source).toBe('online');
      expect(history.calls[0]).toMatchObject({ callId: call.callId, direction: 'incoming', outcome: 'answered' });
    });

    it('transfers a call blind: bad requests change nothing, the target sees the context, the customer is moved to a new call, the agent is released', async () => {
      const agent = await online('agent');
      const customer = await online('customer');
      const expert = await online('expert');
      const ringing = nextEvent(agent.bridge, 'phone.incoming');
      const call = unwrap(await customer.bridge.invoke('phone.call', { to: agent.username, media: 'audio' }));
      await ringing;
      unwrap(await agent.bridge.invoke('phone.answer', { callId: call.callId, withVideo: false }));

      for (const bad of [{ callId: call.callId, to: expert.username, mode: 'sideways' }, { callId: 'nope', to: expert.username, mode: 'blind' }, { callId: call.callId, to: 'NOT VALID', mode: 'blind' }]) {
        expect(await agent.bridge.invoke('phone.transfer', bad as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      }
      expect(await agent.bridge.invoke('phone.transferAction', { transferId: call.callId, action: 'teleport' } as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      expect(unwrap(await agent.bridge.invoke('phone.snapshot', {})).transfers).toEqual([]);

      const expertRings = nextEvent(expert.bridge, 'phone.incoming');
      const transfer = unwrap(await agent.bridge.invoke('phone.transfer', { callId: call.callId, to: expert.username, mode: 'blind' }));
      expect(transfer).toMatchObject({ kind: 'blind', state: 'ringing', originalCallId: call.callId, target: { username: expert.username } });
      const agentView = unwrap(await agent.bridge.invoke('phone.snapshot', {}));
      expect(agentView.transfers.map((t) => t.transferId)).toEqual([transfer.transferId]);
      expect(agentView.calls).toMatchObject([{ callId: call.callId, held: true }]);
      const leg = (await expertRings).call;
      expect(leg.context).toMatchObject({ kind: 'transfer', by: { username: agent.username }, for: { username: customer.username } });

      const customerAnswered = nextEvent(customer.bridge, 'phone.answered');
      const customerEnded = nextEvent(customer.bridge, 'phone.ended');
      const agentEnded = nextEvent(agent.bridge, 'phone.ended');
      unwrap(await expert.bridge.invoke('phone.answer', { callId: leg.callId, withVideo: false }));
      const moved = await customerAnswered;
      expect(moved).toMatchObject({ initiator: true, call: { phase: 'active', peer: { username: expert.username }, transferredBy: { username: agent.username } } });
      expect(moved.call.callId).not.toBe(call.callId);
      expect((await customerEnded).call).toMatchObject({ callId: call.callId, endReason: 'transferred', replacedBy: moved.call.callId });
      expect((await agentEnded).call).toMatchObject({ callId: call.callId, endReason: 'transferred' });
      expect(unwrap(await expert.bridge.invoke('phone.snapshot', {})).calls).toMatchObject([{ callId: moved.call.callId, phase: 'active', peer: { username: customer.username } }]);
      await expect.poll(async () => unwrap(await agent.bridge.invoke('phone.snapshot', {})).calls).toEqual([]);
    });

    it('declining stops the ring here and ends the call for the caller', async () => {
      const alice = await online('alice');
      const bob = await online('bob');
      const incoming = nextEvent(bob.bridge, 'phone.incoming');
      const call = unwrap(await alice.bridge.invoke('phone.call', { to: bob.username, media: 'audio' }));
      await incoming;
      const stopped = nextEvent(bob.bridge, 'phone.ringStopped');
      const callerEnded = nextEvent(alice.bridge, 'phone.ended');
      unwrap(await bob.bridge.invoke('phone.decline', { callId: call.callId }));
      expect((await stopped).callId).toBe(call.callId);
      expect((await callerEnded).call.endReason).toBe('declined');
    });

    it('counts a missed call, and history.opened resets the count', async () => {
      const alice = await online('alice');
      const bob = await online('bob');
      const incoming = nextEvent(bob.bridge, 'phone.incoming');
      const call = unwrap(await alice.bridge.invoke('phone.call', { to: bob.username, media: 'audio' }));
      await incoming;
      const stopped = nextEvent(bob.bridge, 'phone.ringStopped');
      const missed = nextEvent(bob.bridge, 'phone.missed');
      unwrap(await alice.bridge.invoke('phone.end', { callId: call.callId }));
      expect(await stopped).toEqual({ callId: call.callId, reason: 'cancelled' });
      const delivered = await missed;
      expect(delivered.missedCount).toBe(1);
      expect(delivered.calls[0]).toMatchObject({ callId: call.callId, from: { username: alice.username } });
      expect(unwrap(await bob.bridge.invoke('phone.snapshot', {})).missedCount).toBe(1);

      expect(unwrap(await bob.bridge.invoke('history.opened', {}))).toEqual({ missedCount: 0 });
      expect(unwrap(await bob.bridge.invoke('phone.snapshot', {})).missedCount).toBe(0);
      const missedOnly = unwrap(await bob.bridge.invoke('history.list', { missedOnly: true }));
      expect(missedOnly.calls.map((entry) => entry.callId)).toContain(call.callId);
    });

    it('searches the directory and fetches ICE servers with the session', async () => {
      const alice = await online('alice');
      const bob = await online('bob');
      const found = unwrap(await alice.bridge.invoke('directory.search', { q: bob.username }));
      expect(found.users.map((user) => user.username)).toContain(bob.username);
      const ice = unwrap(await alice.bridge.invoke('ice.servers', {}));
      expect(Array.isArray(ice.iceServers)).toBe(true);
    });

    it('tells a subscriber at once when another user sets DND and signs out; bad subscriptions are refused and change nothing', async () => {
      const alice = await online('alice');
      const bob = await online('bob');
      const bobId = unwrap(await bob.bridge.invoke('auth.session', {})).user!.userId;
      expect(unwrap(await alice.bridge.invoke('phone.subscribePresence', { userIds: [bobId] }))).toEqual({ presence: [{ userId: bobId, status: 'online' }] });

      for (const bad of [{ userIds: bobId }, { userIds: Array<string>(501).fill(bobId) }, { userIds: [bobId], extra: true }, { userIds: ['not-a-user-id'] }]) {
        expect(await alice.bridge.invoke('phone.subscribePresence', bad as never)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
      }

      // Still subscribed to Bob (a refused call replaced nothing): his changes arrive as events.
      const dnd = nextEvent(alice.bridge, 'phone.presence', (p) => p.userId === bobId);
      unwrap(await bob.bridge.invoke('phone.setPresence', { status: 'dnd' }));
      expect(await dnd).toEqual({ userId: bobId, status: 'dnd' });
      const offline = nextEvent(alice.bridge, 'phone.presence', (p) => p.userId === bobId && p.status === 'offline');
      unwrap(await bob.bridge.invoke('auth.logout', {}));
      expect(await offline).toEqual({ userId: bobId, status: 'offline' });
    });

    it('turns a deep link into a prompt (never a call) and places the call only when confirmed', async () => {
      const alice = await online('alice');
      const bob = await online('bob');
      const prompt = nextEvent(alice.bridge, 'deepLink.prompt');
      alice.openLink(`softphone://call/${bob.username}`);
      const asked = await prompt;
      expect(asked).toMatchObject({ username: bob.username, scheme: 'softphone', media: 'audio' });
      expect(unwrap(await alice.bridge.invoke('phone.snapshot', {})).calls).toEqual([]);
      expect(unwrap(await alice.bridge.invoke('deepLink.pending', {})).prompt).toEqual(asked);

      const badLink = nextEvent(alice.bridge, 'deepLink.error');
      alice.openLink('softphone://call/NOT A USER');
      expect((await badLink).message).toMatch(/not a valid username/);

      const incoming = nextEvent(bob.bridge, 'phone.incoming');
      const placed = unwrap(await alice.bridge.invoke('deepLink.confirm', { promptId: asked.promptId, accept: true }));
      expect(placed.call?.peer.username).toBe(bob.username);
      expect((await incoming).call.callId).toBe(placed.call?.callId);
      expect(await alice.bridge.invoke('deepLink.confirm', { promptId: asked.promptId, accept: true })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      unwrap(await alice.bridge.invoke('phone.end', { callId: placed.call!.callId }));
    });
  });
}
