import { describe, expect, it } from 'vitest';
import { establishCall, uniqueName, waitOnline } from '../support/clients';
import { useServerWithClients } from '../support/suite';
import { HttpTokenProvider } from '../../shared/phone/bot/http-session';
import type { TokenProvider } from '../../shared/phone/ports';

const suite = useServerWithClients({ ACCESS_TOKEN_TTL: '2', SHUTDOWN_RECONNECT_MS: '300' });

/** Hands out the login token as is (no early refresh), so the server sees it expired. */
class LazyTokens implements TokenProvider {
  refreshes = 0;
  constructor(private readonly inner: HttpTokenProvider) {}
  async getToken() {
    return this.inner.current.accessToken;
  }
  async refresh() {
    this.refreshes++;
    return this.inner.refresh();
  }
}

describe('session: authentication, shutdown, presence', () => {
  it('an expired access token is refreshed on TOKEN_EXPIRED and the client comes online', async () => {
    const name = uniqueName('alice');
    const first = await suite.named(name);
    await first.stop();
    const staleSession = first.auth.current;
    await new Promise((r) => setTimeout(r, 2_500)); // that session's access token (TTL 2 s) expires
    let lazy: LazyTokens | undefined;
    const alice = await suite.named(name, {
      register: false,
      noWait: true,
      auth: (_fresh, url) => (lazy = new LazyTokens(new HttpTokenProvider(url, staleSession))),
    });
    await alice.waitFor('connection', (s) => s.status === 'online');
    expect(alice.all('connection').some(([s]) => s.code === 'TOKEN_EXPIRED')).toBe(true);
    expect(lazy?.refreshes).toBe(1);
  });

  it('a refresh that fails leaves the client offline with a sign-in reason, not in a retry loop', async () => {
    const name = uniqueName('bob');
    const bob = await suite.named(name, {
      noWait: true,
      auth: () => ({ getToken: async () => 'not-a-jwt', refresh: async () => Promise.reject(new Error('refresh token revoked')) }),
    });
    const [state] = await bob.waitFor('connection', (s) => s.status === 'offline');
    expect(state.code).toBe('UNAUTHORIZED');
    expect(state.reason).toContain('sign-in required');
  });

  it('a client on another protocol major is refused: offline with PROTOCOL_MISMATCH, asking for an update', async () => {
    const old = await suite.client('old', { noWait: true, protocolVersion: '2.0.0' });
    const [state] = await old.waitFor('connection', (s) => s.status === 'offline');
    expect(state).toMatchObject({ status: 'offline', code: 'PROTOCOL_MISMATCH' });
    expect(state.reason).toContain('update the app');
    expect(old.core.snapshot().user).toBeNull();
    expect(old.all('connection').filter(([s]) => s.status === 'online')).toEqual([]);
    // A compatible minor of the same major is let in.
    const newer = await suite.client('newer', { protocolVersion: '1.7.0' });
    expect(newer.core.snapshot().connection.status).toBe('online');
  });

  it('session:shutdown on SIGTERM: the client comes back by itself after the given delay', async () => {
    const alice = await suite.client('alice');
    const mark = alice.mark();
    await suite.server.restart(); // SIGTERM (session:shutdown, reconnect after 300 ms), then start again
    await waitOnline(alice, mark, 20_000);
    const states = alice.events.slice(mark).filter((e) => e.event === 'connection').map((e) => e.args[0] as { status: string; code: string | null });
    expect(states[0]).toMatchObject({ status: 'reconnecting', code: 'SHUTDOWN' });
    expect(states.at(-1)).toMatchObject({ status: 'online' });
  });

  it('presence: a subscriber sees dnd and busy', async () => {
    const alice = await suite.client('alice');
    const bob = await suite.client('bob');
    const carol = await suite.client('carol');
    expect(await alice.core.subscribePresence([bob.user.userId])).toEqual([{ userId: bob.user.userId, status: 'online' }]);
    await bob.core.setPresence('dnd');
    expect(bob.core.snapshot().presence).toBe('dnd');
    await alice.waitFor('presence', (userId, status) => userId === bob.user.userId && status === 'dnd');
    await bob.core.setPresence('online');
    await establishCall(carol, bob);
    await alice.waitFor('presence', (userId, status) => userId === bob.user.userId && status === 'busy');
  });
});
