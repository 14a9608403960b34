import { describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../shared/protocol';
import type { PhoneSnapshot } from '../../shared/phone/api';
import type { TokenProvider } from '../../shared/phone/ports';
import { HttpTokenProvider } from '../../shared/phone/bot/http-session';
import { establishCall, phaseOf, type TestClient } from '../support/clients';
import { useServerWithClients } from '../support/suite';

/**
 * Issue 10, item 4, end to end: with short-lived access tokens the server closes every connection at
 * its token's expiry. PhoneCore renews the token in place before that, so a call goes on with no
 * reconnect at all; and when a renewal fails, it refreshes and reconnects after the TOKEN_EXPIRED
 * close, and the call survives that too.
 */

const TTL_S = 6;
const suite = useServerWithClients({ ACCESS_TOKEN_TTL: String(TTL_S), CALL_RESUME_GRACE_MS: '30000' });

/** The real token provider, whose next `refresh()` fails once when told to. */
class FlakyTokens implements TokenProvider {
  failNext = false;
  readonly inner: HttpTokenProvider;
  constructor(url: string, session: AuthResponse) {
    this.inner = new HttpTokenProvider(url, session);
  }
  getToken(): Promise<string> {
    return this.inner.getToken();
  }
  refresh(): Promise<string> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('the network hiccuped'));
    }
    return this.inner.refresh();
  }
}

/** Whether the call's peer was connected, in every snapshot since `after` (a mark()). */
const peerStates = (client: TestClient, callId: string, after: number) =>
  client.events
    .slice(after)
    .filter((e) => e.event === 'snapshot')
    .map((e) => (e.args[0] as PhoneSnapshot).calls.find((c) => c.callId === callId)?.peerConnected)
    .filter((value) => value !== undefined);

describe('connections outlive their access tokens only by renewing them', () => {
  it(`a call goes on across several ${TTL_S} s token lifetimes with no reconnect and no signalling gap`, async () => {
    const alice = await suite.client('alice');
    const bob = await suite.client('bob');
    const callId = await establishCall(alice, bob);
    const marks = { alice: alice.mark(), bob: bob.mark() };
    const connections = { alice: alice.all('connection').length, bob: bob.all('connection').length };
    await new Promise((resolve) => setTimeout(resolve, TTL_S * 2_500));
    expect(alice.all('connection').slice(connections.alice)).toEqual([]);
    expect(bob.all('connection').slice(connections.bob)).toEqual([]);
    for (const c of [alice, bob]) expect(phaseOf(c, callId)).toBe('active');
    expect([...peerStates(alice, callId, marks.alice), ...peerStates(bob, callId, marks.bob)].every(Boolean)).toBe(true);
    expect(suite.server.logs()).not.toContain('"event":"device-disconnected"');
    await alice.core.sendSignal(callId, { renegotiate: true });
    await bob.waitFor('signal', (id, data) => id === callId && 'renegotiate' in data, { after: marks.bob });
  });

  it('a renewal that fails: closed with TOKEN_EXPIRED, refreshed and reconnected, and the call survives', async () => {
    let flaky: FlakyTokens | undefined;
    const alice = await suite.client('alice', { auth: (session, url) => (flaky = new FlakyTokens(url, session)) });
    const bob = await suite.client('bob');
    const callId = await establishCall(alice, bob);
    const mark = alice.mark();
    flaky!.failNext = true;
    await alice.waitFor('connection', (s) => s.status === 'reconnecting' && s.code === 'TOKEN_EXPIRED', { after: mark, timeoutMs: TTL_S * 2_000 });
    await alice.waitFor('connection', (s) => s.status === 'online', { after: mark, timeoutMs: 15_000 });
    expect(alice.logger.entries.some((entry) => entry.message.includes('could not renew the access token in place'))).toBe(true);
    expect(phaseOf(alice, callId)).toBe('active');
    expect(phaseOf(bob, callId)).toBe('active');
    await bob.core.sendSignal(callId, { renegotiate: true });
    await alice.waitFor('signal', (id) => id === callId, { after: mark });
  });
});
