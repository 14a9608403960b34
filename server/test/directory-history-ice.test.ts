import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DirectoryResponse, HistoryResponse, IceServersResponse } from '../../shared/protocol';
import { api, HttpError, registerUser } from '../../test/support/server';
import { newUser } from './helpers/raw-device';
import { useRawServer } from './helpers/raw-server';
import { queryStore } from '../../test/support/test-store';

const TURN_SECRET = 'coturn-static-auth-secret';
const rig = useRawServer({
  TURN_SECRET,
  TURN_URLS: 'turn:turn.example.test:3478?transport=udp,turns:turn.example.test:5349',
  STUN_URLS: 'stun:stun.example.test:3478',
  TURN_TTL: '3600',
});
const connect = rig.connect;

describe('history API', () => {
  it('lists what happened, newest first, paginated, from each side, with missedOnly', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await connect(alice, 'h-a');
    const b = await connect(bob, 'h-b');

    const answered = await a.ok('call:invite', { to: bob.user.username, media: 'video' });
    await b.next('call:incoming');
    await b.ok('call:accept', { callId: answered.callId });
    await a.ok('call:hangup', { callId: answered.callId });
    const declined = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming', (call) => call.callId === declined.callId);
    await b.ok('call:reject', { callId: declined.callId });
    const cancelled = await b.ok('call:invite', { to: alice.user.username, media: 'audio' });
    await a.next('call:incoming');
    await b.ok('call:cancel', { callId: cancelled.callId });
    await a.settle();

    const page1 = HistoryResponse.parse(await api(rig.url, 'GET', '/api/history?limit=2', undefined, alice.accessToken));
    expect(page1.calls.map((call) => [call.callId, call.direction, call.outcome, call.missed])).toEqual([
      [cancelled.callId, 'incoming', 'cancelled', true],
      [declined.callId, 'outgoing', 'declined', false],
    ]);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = HistoryResponse.parse(await api(rig.url, 'GET', `/api/history?limit=2&cursor=${page1.nextCursor}`, undefined, alice.accessToken));
    expect(page2.nextCursor).toBeNull();
    expect(page2.calls).toHaveLength(1);
    expect(page2.calls[0]).toMatchObject({ callId: answered.callId, outcome: 'answered', endReason: 'hangup', media: 'video', peer: bob.user });
    expect(page2.calls[0]!.talkMs).not.toBeNull();
    expect(page2.calls[0]!.answeredAt).not.toBeNull();

    const bobsView = HistoryResponse.parse(await api(rig.url, 'GET', '/api/history', undefined, bob.accessToken));
    expect(bobsView.calls.map((call) => [call.direction, call.outcome, call.missed])).toEqual([
      ['outgoing', 'cancelled', false],
      ['incoming', 'declined', false],
      ['incoming', 'answered', false],
    ]);
    const missedOnly = HistoryResponse.parse(await api(rig.url, 'GET', '/api/history?missedOnly=true', undefined, alice.accessToken));
    expect(missedOnly.calls.map((call) => call.callId)).toEqual([cancelled.callId]);

    for (const bad of ['?limit=0', '?limit=abc', '?cursor=%5Bnot', '?sort=asc']) {
      await expect(api(rig.url, 'GET', `/api/history${bad}`, undefined, alice.accessToken)).rejects.toMatchObject({ status: 400 });
    }
  });
});

describe('call records', () => {
  it('name who, which devices, when, the media, the outcome, ring and talk durations and the end reason', async () => {
    const alice = await newUser(rig.url, 'alice');
    const bob = await newUser(rig.url, 'bob');
    const a = await connect(alice, 'rec-a');
    const desk = await connect(bob, 'rec-b-desk');
    const laptop = await connect(bob, 'rec-b-laptop');
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'video' });
    await desk.next('call:incoming');
    await laptop.ok('call:accept', { callId });
    await a.ok('call:hangup', { callId });

    {
      const [row] = await queryStore<Record<string, unknown>>(rig.server, 'SELECT * FROM calls WHERE id = ?', [callId]);
      expect(row).toMatchObject({
        caller_id: alice.user.userId,
        callee_id: bob.user.userId,
        caller_device_id: a.deviceId,
        answered_device_id: laptop.deviceId,
        media: 'video',
        status: 'ended',
        outcome: 'answered',
        end_reason: 'hangup',
        ended_by: alice.user.userId,
      });
      expect(JSON.parse(row!['devices_rung'] as string).sort()).toEqual([desk.deviceId, laptop.deviceId].sort());
      const [started, answered, ended] = ['started_at', 'answered_at', 'ended_at'].map((column) => Date.parse(row![column] as string));
      expect(started! <= answered! && answered! <= ended!).toBe(true);
      expect(row!['ring_ms']).toBe(answered! - started!);
      expect(row!['talk_ms']).toBe(ended! - answered!);
    }
    const [entry] = HistoryResponse.parse(await api(rig.url, 'GET', '/api/history?limit=1', undefined, bob.accessToken)).calls;
    expect(entry).toMatchObject({ callId, direction: 'incoming', media: 'video', outcome: 'answered', endReason: 'hangup', missed: false });
  });
});

describe('directory and presence', () => {
  it('searches by username or display name with presence, and pushes presence changes to subscribers', async () => {
    const zed = await registerUser(rig.url, 'zed-dir', 'zed-password', 'Zedediah Quux');
    const yan = await registerUser(rig.url, 'yan-dir', 'yan-password', 'Yan Quuxley');
    const watcher = await newUser(rig.url, 'watcher');

    const byDisplay = DirectoryResponse.parse(await api(rig.url, 'GET', '/api/directory?q=quux', undefined, watcher.accessToken));
    expect(byDisplay.users.map((user) => [user.username, user.presence]).sort()).toEqual([
      ['yan-dir', 'offline'],
      ['zed-dir', 'offline'],
    ]);
    const byPrefix = DirectoryResponse.parse(await api(rig.url, 'GET', '/api/directory?q=zed', undefined, watcher.accessToken));
    expect(byPrefix.users.map((user) => user.username)).toEqual(['zed-dir']);

    const w = await connect(watcher, 'p-w');
    const subscribed = await w.ok('presence:subscribe', { userIds: [zed.user.userId, yan.user.userId] });
    expect(subscribed.presence).toEqual([
      { userId: zed.user.userId, status: 'offline' },
      { userId: yan.user.userId, status: 'offline' },
    ]);
    const z = await connect(zed, 'p-z');
    const ofZed = (change: { userId: string }) => change.userId === zed.user.userId; // w also hears its own user's changes
    expect(await w.next('presence:changed', ofZed)).toEqual({ userId: zed.user.userId, status: 'online' });
    expect(await z.ok('presence:set', { status: 'dnd' })).toEqual({ ok: true, status: 'dnd' });
    expect(await w.next('presence:changed', ofZed)).toEqual({ userId: zed.user.userId, status: 'dnd' });
    // The user's own devices hear it too: a status chosen on one device shows on all of them.
    expect(await z.next('presence:changed', (change) => ofZed(change) && change.status === 'dnd')).toEqual({ userId: zed.user.userId, status: 'dnd' });
    await z.ok('presence:set', { status: 'online' });
    await w.next('presence:changed', (change) => change.status === 'online');

    const y = await connect(yan, 'p-y');
    await w.next('presence:changed', (change) => change.userId === yan.user.userId);
    const { callId } = await z.ok('call:invite', { to: 'yan-dir', media: 'audio' });
    await y.next('call:incoming');
    await y.ok('call:accept', { callId });
    await w.next('presence:changed', (change) => change.userId === zed.user.userId && change.status === 'busy');
    await w.next('presence:changed', (change) => change.userId === yan.user.userId && change.status === 'busy');
    expect(DirectoryResponse.parse(await api(rig.url, 'GET', '/api/directory?q=zed', undefined, watcher.accessToken)).users[0]!.presence).toBe('busy');
    await y.ok('call:hangup', { callId });
    await w.next('presence:changed', (change) => change.userId === zed.user.userId && change.status === 'online');

    // Replacing the subscription stops updates for users no longer in it.
    await w.ok('presence:subscribe', { userIds: [yan.user.userId] });
    z.close();
    y.close();
    await w.next('presence:changed', (change) => change.userId === yan.user.userId && change.status === 'offline');
    await w.settle();
    expect(w.all('presence:changed', (change) => change.userId === zed.user.userId && change.status === 'offline')).toHaveLength(0);
  });
});

describe('ICE servers', () => {
  it('hands out STUN and time-limited TURN REST credentials that verify with the shared secret', async () => {
    const user = await newUser(rig.url, 'ice');
    const before = Math.floor(Date.now() / 1000);
    const body = IceServersResponse.parse(await api(rig.url, 'GET', '/api/ice-servers', undefined, user.accessToken));
    expect(body.ttlSeconds).toBe(3600);
    expect(body.iceServers[0]).toEqual({ urls: ['stun:stun.example.test:3478'] });
    const turn = body.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:turn.example.test:3478?transport=udp', 'turns:turn.example.test:5349']);
    const [expiry, userId] = turn.username!.split(':');
    expect(userId).toBe(user.user.userId);
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + 3600);
    expect(Number(expiry)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    // What coturn computes with use-auth-secret / static-auth-secret.
    expect(turn.credential).toBe(createHmac('sha1', TURN_SECRET).update(turn.username!).digest('base64'));
    await expect(api(rig.url, 'GET', '/api/ice-servers')).rejects.toBeInstanceOf(HttpError);
  });
});
