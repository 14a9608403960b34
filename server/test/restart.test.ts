import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../shared/protocol';
import { api, loginUser, removeDataDir, startServer, type TestServer } from '../../test/support/server';
import { lineAdmin, newLine } from './helpers/lines';
import { deviceId, newUser, RawDevice } from './helpers/raw-device';

const servers: TestServer[] = [];
const opened: RawDevice[] = [];

afterEach(async () => {
  opened.splice(0).forEach((device) => device.close());
  for (const server of servers.splice(0)) {
    await server.stop();
    removeDataDir(server);
  }
});

async function start(env: Record<string, string> = { CALL_RESUME_GRACE_MS: '20000' }) {
  const server = await startServer({ env });
  servers.push(server);
  return server;
}

async function connect(server: TestServer, token: string, name: string) {
  const device = await RawDevice.connect(server.url, token, deviceId(name));
  opened.push(device);
  return device;
}

describe('restarts', () => {
  it('kill -9 while a call rings, back before its deadline: it still rings on both sides, with the same deadline, and can be answered', async () => {
    const server = await start({ CALL_RESUME_GRACE_MS: '20000', RING_TIMEOUT_MS: '60000' });
    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    const a = await connect(server, alice.accessToken, 'k9-a');
    const b = await connect(server, bob.accessToken, 'k9-b');
    const { callId, ringUntil } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await server.kill9();
    await server.restart();
    expect(server.logs()).toContain('"event":"calls-recovered"');

    const relogin = await loginUser(server.url, bob.user.username);
    const back = await connect(server, relogin.accessToken, 'k9-b');
    expect(back.all('session:ready')[0]!.pendingInvites).toEqual([{ callId, from: alice.user, media: 'audio', startedAt: expect.any(String), ringUntil }]);
    const a2 = await connect(server, alice.accessToken, 'k9-a');
    expect(a2.all('session:ready')[0]!.outgoingCalls).toMatchObject([{ callId, callee: bob.user, ringUntil }]);
    expect(await back.ok('call:accept', { callId })).toEqual({ ok: true, caller: alice.user, peerConnected: true });
    expect(await a2.next('call:accepted')).toMatchObject({ callId, deviceId: back.deviceId });
    await a2.ok('call:hangup', { callId });
    await back.next('call:ended');
    const history = await api<HistoryResponse>(server.url, 'GET', '/api/history', undefined, relogin.accessToken);
    expect(history.calls[0]).toMatchObject({ callId, outcome: 'answered', endReason: 'hangup', missed: false });
    expect(back.all('missed:calls')).toEqual([]);
  });

  it('kill -9 while a call rings, back after its deadline: it ended no-answer, with exactly one missed call', async () => {
    const server = await start({ CALL_RESUME_GRACE_MS: '20000', RING_TIMEOUT_MS: '1500' });
    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    const a = await connect(server, alice.accessToken, 'k9l-a');
    const b = await connect(server, bob.accessToken, 'k9l-b');
    const { callId, ringUntil } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await server.kill9();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(ringUntil) - Date.now()) + 200));
    await server.restart();
    expect(server.logs()).toContain('"expired":1');

    const back = await connect(server, bob.accessToken, 'k9l-b');
    expect(back.all('session:ready')[0]!.pendingInvites).toEqual([]);
    expect((await back.next('missed:calls')).calls).toMatchObject([{ callId, from: alice.user, reason: 'no-answer' }]);
    const history = await api<HistoryResponse>(server.url, 'GET', '/api/history', undefined, bob.accessToken);
    expect(history.calls.filter((call) => call.callId === callId)).toMatchObject([{ outcome: 'no-answer', endReason: 'no-answer', missed: true, endedAt: ringUntil }]);
    // Another restart changes nothing: one missed call, not two.
    back.close();
    await server.kill9();
    await server.restart();
    const again = await connect(server, bob.accessToken, 'k9l-b');
    expect((await again.next('missed:calls')).calls.map((m) => m.callId)).toEqual([callId]);
  });

  it('SIGTERM while a call rings and another waits in a line: the devices are told to come back, the call rings on and the waiting one keeps its place after the restart', async () => {
    const server = await start({ CALL_RESUME_GRACE_MS: '20000', RING_TIMEOUT_MS: '60000', ADMIN_USERS: 'line-admin' });
    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    const carl = await newUser(server.url, 'carl');
    const line = await newLine(server.url, await lineAdmin(server.url), [bob]);
    const a = await connect(server, alice.accessToken, 'tr-a');
    const b = await connect(server, bob.accessToken, 'tr-b');
    await b.ok('presence:set', { status: 'dnd' }); // the line's only agent takes no line call
    const c = await connect(server, carl.accessToken, 'tr-c');
    const queued = await c.ok('call:invite', { to: line.name, media: 'audio' });
    const { callId, ringUntil } = await a.ok('call:invite', { to: bob.user.username, media: 'video' });
    await b.next('call:incoming');
    await server.stop();
    expect(await b.next('session:shutdown')).toEqual({ reconnectAfterMs: expect.any(Number) });
    await server.restart();
    const c2 = await connect(server, carl.accessToken, 'tr-c');
    expect(c2.all('session:ready')[0]!.queuedCalls).toMatchObject([{ callId: queued.callId, line: { lineId: line.lineId }, queue: { position: 1, waiting: 1 }, ringUntil: queued.ringUntil }]);
    const b2 = await connect(server, bob.accessToken, 'tr-b');
    expect(b2.all('session:ready')[0]!.pendingInvites).toMatchObject([{ callId, ringUntil, media: 'video' }]);
    const a2 = await connect(server, alice.accessToken, 'tr-a');
    await a2.ok('call:cancel', { callId });
    expect(await b2.next('call:ended')).toEqual({ callId, reason: 'cancelled', by: alice.user.userId });
    expect((await b2.next('missed:calls')).calls).toMatchObject([{ callId, reason: 'cancelled' }]);
  });

  it('kill -9 right after no-answer: the committed missed call survives', async () => {
    const server = await startServer({ env: { RING_TIMEOUT_MS: '800' } });
    servers.push(server);
    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    const a = await connect(server, alice.accessToken, 'k9n-a');
    const b = await connect(server, bob.accessToken, 'k9n-b');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await a.next('call:ended');
    await server.kill9();
    await server.restart();
    // The token issued before the restart still verifies: the generated secret was kept in DATA_DIR (0600).
    const back = await connect(server, bob.accessToken, 'k9n-b');
    expect((await back.next('missed:calls')).calls).toMatchObject([{ callId, reason: 'no-answer' }]);
    expect(statSync(join(server.dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(server.dataDir, 'jwt-secret'), 'utf8').trim().length).toBeGreaterThanOrEqual(32);
  });

  it('a restored answered call whose other end never returns ends with connection-lost after the grace; so does the wait of a caller in a line', async () => {
    const server = await start({ CALL_RESUME_GRACE_MS: '3000', ADMIN_USERS: 'line-admin' });
    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    const carl = await newUser(server.url, 'carl');
    const line = await newLine(server.url, await lineAdmin(server.url), []);
    const a = await connect(server, alice.accessToken, 'rg-a');
    const b = await connect(server, bob.accessToken, 'rg-b');
    const c = await connect(server, carl.accessToken, 'rg-c');
    const queued = await c.ok('call:invite', { to: line.name, media: 'audio' });
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await b.ok('call:accept', { callId });
    await a.next('call:accepted');

    await server.kill9();
    await server.restart();
    const a2 = await connect(server, alice.accessToken, 'rg-a');
    expect(a2.all('session:ready')[0]!.activeCalls).toMatchObject([{ callId, peerConnected: false }]);
    expect(await a2.next('call:ended', (e) => e.callId === callId)).toEqual({ callId, reason: 'connection-lost' });
    const history = await api<HistoryResponse>(server.url, 'GET', '/api/history', undefined, bob.accessToken);
    expect(history.calls[0]).toMatchObject({ callId, outcome: 'answered', endReason: 'connection-lost', missed: false });
    expect(history.calls[0]!.talkMs).toBeGreaterThan(0);
    // The waiting caller never came back either: its grace (from the start) ended its wait, abandoned.
    const carlsCall = async () => (await api<HistoryResponse>(server.url, 'GET', '/api/history', undefined, carl.accessToken)).calls.find((call) => call.callId === queued.callId);
    await expect.poll(carlsCall, { timeout: 5_000 }).toMatchObject({ outcome: 'abandoned', endReason: 'connection-lost' });
  });

  it('a chosen away presence survives a restart; calls still ring while away', async () => {
    const server = await start();
    const zed = await newUser(server.url, 'zed');
    const caller = await newUser(server.url, 'caller');
    const z = await connect(server, zed.accessToken, 'away-z');
    expect(await z.ok('presence:set', { status: 'away' })).toEqual({ ok: true, status: 'away' });
    z.close();
    await server.kill9();
    await server.restart();
    const z2 = await connect(server, zed.accessToken, 'away-z');
    expect(z2.all('session:ready')[0]!.presence).toBe('away');
    const c = await connect(server, caller.accessToken, 'away-c');
    expect((await c.ok('presence:subscribe', { userIds: [zed.user.userId] })).presence).toEqual([{ userId: zed.user.userId, status: 'away' }]);
    const invite = await c.ok('call:invite', { to: zed.user.username, media: 'audio' });
    expect(invite.status).toBe('ringing');
    expect(await z2.next('call:incoming')).toMatchObject({ callId: invite.callId });
  });

  it('the other side muted: a device that resumes is told in session:ready (peerMuted, peerHeld)', async () => {
    const server = await start();
    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    const a = await connect(server, alice.accessToken, 'pm-a');
    const b = await connect(server, bob.accessToken, 'pm-b');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');
    await b.ok('call:accept', { callId });
    await b.ok('call:mute', { callId, muted: true });
    await b.ok('call:hold', { callId, held: true });
    a.close();
    const a2 = await connect(server, alice.accessToken, 'pm-a');
    expect(a2.all('session:ready')[0]!.activeCalls).toMatchObject([{ callId, peerMuted: true, peerHeld: true, held: true }]);
    await b.ok('call:mute', { callId, muted: false });
    expect(await a2.next('call:mute')).toEqual({ callId, muted: false, by: bob.user.userId });
  });

  it('a chosen dnd presence survives a kill -9 and every device going away', async () => {
    const server = await start();
    const zed = await newUser(server.url, 'zed');
    const watcher = await newUser(server.url, 'watcher');
    const z = await connect(server, zed.accessToken, 'dnd-z');
    expect(await z.ok('presence:set', { status: 'dnd' })).toEqual({ ok: true, status: 'dnd' });
    z.close();

    await server.kill9();
    await server.restart();
    const z2 = await connect(server, zed.accessToken, 'dnd-z');
    expect(z2.all('session:ready')[0]!.presence).toBe('dnd');
    const w = await connect(server, watcher.accessToken, 'dnd-w');
    expect((await w.ok('presence:subscribe', { userIds: [zed.user.userId] })).presence).toEqual([{ userId: zed.user.userId, status: 'dnd' }]);
    await z2.ok('presence:set', { status: 'online' });
    expect(await w.next('presence:changed', (change) => change.userId === zed.user.userId)).toEqual({ userId: zed.user.userId, status: 'online' });
    z2.close();
    await w.next('presence:changed', (change) => change.userId === zed.user.userId && change.status === 'offline');
    const z3 = await connect(server, zed.accessToken, 'dnd-z');
    expect(z3.all('session:ready')[0]!.presence).toBe('online');
  });

  it('SIGTERM tells clients session:shutdown, exits 0, and an answered call is restored after the restart', async () => {
    const server = await start();
    const alice = await newUser(server.url, 'alice');
    const bob = await newUser(server.url, 'bob');
    const a = await connect(server, alice.accessToken, 'st-a');
    const b = await connect(server, bob.accessToken, 'st-b');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'video' });
    await b.next('call:incoming');
    await b.ok('call:accept', { callId });
    await a.next('call:accepted');

    await server.stop();
    expect(await a.next('session:shutdown')).toEqual({ reconnectAfterMs: expect.any(Number) });
    expect(await b.next('session:shutdown')).toBeTruthy();
    expect(server.exitCode()).toBe(0);
    // Flushed: the SQLite WAL was checkpointed into the database file and removed on close (Postgres has no file here).
    if (!server.databaseUrl) expect(existsSync(join(server.dataDir, 'softphone.db-wal'))).toBe(false);
    // Structured logs: every stdout line is one pino JSON object.
    const lines = server.logs().split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), time: expect.any(String), msg: expect.any(String) });
    expect(lines.some((line) => line.includes('"event":"call-answered"'))).toBe(true);

    await server.restart();
    const a2 = await connect(server, alice.accessToken, 'st-a');
    expect(a2.all('session:ready')[0]!.activeCalls).toMatchObject([
      { callId, peer: bob.user, role: 'caller', media: 'video', peerConnected: false, peerDeviceId: b.deviceId },
    ]);
    const b2 = await connect(server, bob.accessToken, 'st-b');
    expect(b2.all('session:ready')[0]!.activeCalls).toMatchObject([{ callId, peer: alice.user, role: 'callee', peerConnected: true }]);
    expect(await a2.next('call:peer-connection')).toEqual({ callId, connected: true });
    await a2.ok('call:signal', { callId, data: { renegotiate: true } });
    expect(await b2.next('call:signal')).toMatchObject({ callId, from: alice.user });
    await b2.ok('call:hangup', { callId });
    await a2.next('call:ended');
    const history = await api<HistoryResponse>(server.url, 'GET', '/api/history', undefined, alice.accessToken);
    expect(history.calls[0]).toMatchObject({ callId, outcome: 'answered', endReason: 'hangup', direction: 'outgoing' });
  });
});
