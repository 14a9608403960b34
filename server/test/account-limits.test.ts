import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResponse } from '../../shared/protocol';
import { startServer, type TestServer } from '../../test/support/server';
import { newLine } from './helpers/lines';
import { deviceId, RawDevice } from './helpers/raw-device';

/**
 * Issue 10, items 1 and 3: password guessing and registration are throttled per client address (the
 * server sits behind a proxy on loopback in these tests, so X-Forwarded-For is the client address), and
 * the invites one user receives are limited whoever calls.
 */

let server: TestServer;
beforeAll(async () => {
  server = await startServer({
    env: {
      LOGIN_FREE_FAILURES: '5',
      LOGIN_ADDRESS_FAILURE_LIMIT: '40',
      REGISTER_RATE_LIMIT: '3',
      REGISTER_RATE_WINDOW_S: '3600',
      INVITE_RATE_LIMIT: '100',
      INCOMING_INVITE_RATE_LIMIT: '4',
      LINE_MAX_WAITING: '5',
      ADMIN_USERS: 'limits-admin',
    },
  });
});
afterAll(async () => {
  await server.stop();
});

interface Answer {
  status: number;
  code: string | null;
  retryAfter: string | null;
  body: unknown;
}

async function post(path: string, body: unknown, address: string): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: json.error?.code ?? null, retryAfter: response.headers.get('retry-after'), body: json };
}

const login = (username: string, password: string, address: string) => post('/api/auth/login', { username, password }, address);

let addresses = 0;
/** A new account, registered from an address of its own (the registration limit is tested on its own below). */
async function account(username: string, password = `password-${username}`): Promise<AuthResponse> {
  const answer = await post('/api/auth/register', { username, displayName: username, password }, `192.0.2.${++addresses}`);
  if (answer.status !== 201) throw new Error(`registration of ${username} failed: ${JSON.stringify(answer.body)}`);
  return answer.body as AuthResponse;
}

describe('login throttling', () => {
  it('60 wrong passwords from one client: the first 5 are 401, then 429 RATE_LIMITED with Retry-After, with increasing delays', async () => {
    const victim = await account('guessed', 'the-right-password');
    const answers: Answer[] = [];
    for (let i = 0; i < 60; i++) answers.push(await login(victim.user.username, `wrong-${i}`, '198.51.100.7'));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(answers.slice(5).every((a) => a.status === 429 && a.code === 'RATE_LIMITED')).toBe(true);
    expect(Number(answers[5]!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect((answers[5]!.body as { error: { retryAfterMs: number } }).error.retryAfterMs).toBeGreaterThan(0);

    // Waiting out the delay allows one more try; a wrong one doubles the wait.
    await new Promise((resolve) => setTimeout(resolve, Number(answers[5]!.retryAfter) * 1000 + 100));
    expect((await login(victim.user.username, 'wrong-again', '198.51.100.7')).status).toBe(401);
    const next = await login(victim.user.username, 'wrong-again', '198.51.100.7');
    expect(next.status).toBe(429);
    expect(Number(next.retryAfter)).toBeGreaterThan(Number(answers[5]!.retryAfter));

    // The right password while the delay runs: still refused from that address (no oracle for the attacker) ...
    expect((await login(victim.user.username, 'the-right-password', '198.51.100.7')).status).toBe(429);
    // ... but the owner signs in from anywhere else: the limit never locks the account.
    const owner = await login(victim.user.username, 'the-right-password', '203.0.113.20');
    expect(owner.status).toBe(200);
    expect((owner.body as AuthResponse).user.username).toBe(victim.user.username);
  });

  it('an address is limited across usernames too, and a successful login does not reset that', async () => {
    const someone = await account('sprayer-target', 'sprayer-password');
    const address = '198.51.100.99';
    const statuses: number[] = [];
    // 40 wrong passwords spread over 10 usernames (4 each: under the per-username delay).
    for (let i = 0; i < 40; i++) statuses.push((await login(`sprayed-${i % 10}`, 'wrong-password', address)).status);
    expect(statuses.every((status) => status === 401)).toBe(true);
    const refused = await login('sprayed-11', 'wrong-password', address);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(refused.retryAfter)).toBeGreaterThan(60);
    expect((await login(someone.user.username, 'sprayer-password', address)).status).toBe(429);
    expect((await login(someone.user.username, 'sprayer-password', '203.0.113.21')).status).toBe(200);
  });

  it('the right password clears the count for its own address', async () => {
    const user = await account('forgetful', 'forgetful-password');
    for (let i = 0; i < 4; i++) expect((await login(user.user.username, 'typo-password', '198.51.100.50')).status).toBe(401);
    expect((await login(user.user.username, 'forgetful-password', '198.51.100.50')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(user.user.username, 'typo-password', '198.51.100.50')).status).toBe(401);
    expect((await login(user.user.username, 'forgetful-password', '198.51.100.50')).status).toBe(200);
  });
});

describe('registration throttling', () => {
  it('one address registers at most REGISTER_RATE_LIMIT accounts per window; others are not affected', async () => {
    const register = (name: string, address: string) => post('/api/auth/register', { username: name, displayName: 'Fresh', password: 'fresh-password' }, address);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await register(`fresh-${i}`, '198.51.100.200'));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 429, 429]);
    expect(answers[3]).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(answers[3]!.retryAfter)).toBeGreaterThan(3000);
    // Nothing was created by the refused ones.
    expect((await login('fresh-3', 'fresh-password', '203.0.113.30')).code).toBe('INVALID_CREDENTIALS');
    expect((await register('fresh-other', '203.0.113.31')).status).toBe(201);
  });
});

describe('incoming invites per callee', () => {
  it('fresh accounts cannot ring-bomb: a callee receives at most INCOMING_INVITE_RATE_LIMIT invites per window, whoever calls', async () => {
    const victim = await account('victim');
    const v = await RawDevice.connect(server.url, victim.accessToken, deviceId('victim'));
    const attackers = await Promise.all([1, 2, 3].map((i) => account(`bomber${i}`)));
    const devices = await Promise.all(attackers.map((a, i) => RawDevice.connect(server.url, a.accessToken, deviceId(`bomber${i}`))));
    const acks = [];
    for (let round = 0; round < 2; round++) {
      for (const device of devices) acks.push(await device.request('call:invite', { to: victim.user.username, media: 'audio' }));
    }
    expect(acks.filter((ack) => ack.ok)).toHaveLength(4);
    expect(acks.slice(4)).toEqual([
      { ok: false, error: { code: 'RATE_LIMITED', message: expect.stringContaining('receiving too many calls'), retryAfterMs: expect.any(Number) } },
      { ok: false, error: { code: 'RATE_LIMITED', message: expect.stringContaining('receiving too many calls'), retryAfterMs: expect.any(Number) } },
    ]);
    await v.settle();
    expect(v.all('call:incoming')).toHaveLength(4);
    // Another callee is not affected.
    const other = await account('other');
    expect(await devices[0]!.request('call:invite', { to: other.user.username, media: 'audio' })).toMatchObject({ ok: true, status: 'unavailable' });
    [v, ...devices].forEach((device) => device.close());
  });
});

describe('callers waiting in a line (D22)', () => {
  it('a line is exempt from the per-callee invite limit but holds at most LINE_MAX_WAITING callers: the next is refused RATE_LIMITED with retryAfterMs, and gets in once a place frees', async () => {
    const admin = await account('limits-admin');
    const [full, other] = [await newLine(server.url, admin, []), await newLine(server.url, admin, [])];
    const callers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => account(`waiter${i}`)));
    const devices = await Promise.all(callers.map((caller, i) => RawDevice.connect(server.url, caller.accessToken, deviceId(`waiter${i}`))));
    // Five invites to one line: more than INCOMING_INVITE_RATE_LIMIT (4), all queued.
    const queued = [];
    for (const device of devices.slice(0, 5)) queued.push(await device.ok('call:invite', { to: full.name, media: 'audio' }));
    expect(queued.map((ack) => [ack.status, ack.queue?.position])).toEqual([1, 2, 3, 4, 5].map((position) => ['queued', position]));
    const sixth = devices[5]!;
    expect(await sixth.request('call:invite', { to: full.name, media: 'audio' })).toEqual({
      ok: false,
      error: { code: 'RATE_LIMITED', message: expect.stringContaining('Too many callers are waiting'), retryAfterMs: 30_000 },
    });
    // The cap is per line: another line takes the same caller.
    expect(await sixth.ok('call:invite', { to: other.name, media: 'audio' })).toMatchObject({ status: 'queued', queue: { position: 1 } });
    // A place frees (a caller leaves): the refused caller gets in, last in line.
    await devices[0]!.ok('call:cancel', { callId: queued[0]!.callId });
    expect(await sixth.ok('call:invite', { to: full.name, media: 'audio' })).toMatchObject({ status: 'queued', queue: { position: 5, waiting: 5 } });
    devices.forEach((device) => device.close());
  });
});
