import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceId, newUser, RawDevice } from '../../server/test/helpers/raw-device';
import { api, outcomeOf, startServer, type TestServer } from '../support/server';
import { waitUntil } from '../support/clients';
import { callRecordViolations } from './support/call-invariants';
import { readCalls } from './support/database';

/**
 * Issue 10, item 11: a full disk. DATA_DIR lives on a small tmpfs mounted for this test; once it is
 * filled, a ring timer, a resume-grace timer and a hang-up all run into "database or disk is full".
 * The server must stay up, tell both devices, refuse what cannot be recorded with the retryable
 * STORAGE_UNAVAILABLE, and write the records (whole, never half) once there is room again.
 */

const mountPoint = mkdtempSync(join(tmpdir(), 'softphone-tmpfs-'));
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0700', 'tmpfs', mountPoint], { encoding: 'utf8' });
const mounted = mount.status === 0;
const skipReason = mounted ? '' : ` (skipped: this machine refuses 'mount -t tmpfs': ${(mount.stderr || mount.error?.message || 'no mount command').trim()})`;

const devices: RawDevice[] = [];
let server: TestServer | undefined;
afterAll(async () => {
  devices.forEach((d) => d.close());
  await server?.stop();
  if (mounted) spawnSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/**
 * Empties the server's WAL file (a checkpoint from a connection of the test's own). A checkpointed WAL is
 * written again from its start, in the room it already has, and the server checkpoints every second: without
 * this, the writes after the fill could fit in that room and never meet the full disk.
 */
function truncateWal(dbFile: string): void {
  const db = new Database(dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (result?.busy) throw new Error('the WAL could not be truncated: the server held it');
  } finally {
    db.close();
  }
}

/** Writes zeros into `file` until the file system says ENOSPC. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe('a full disk', () => {
  it.skipIf(!mounted)(`timers and a hang-up during a full disk: nothing crashes, both devices are told, records are written once there is room${skipReason}`, async () => {
    const dataDir = join(mountPoint, 'data');
    mkdirSync(dataDir);
    server = await startServer({ dataDir, env: { RING_TIMEOUT_MS: '4000', CALL_RESUME_GRACE_MS: '1500', INVITE_RATE_LIMIT: '100' } });
    const url = server.url;
    const [alice, bob, carol, dave, erin, frank] = await Promise.all(['alice', 'bob', 'carol', 'dave', 'erin', 'frank'].map((name) => newUser(url, `df-${name}`)));
    const connect = async (user: Awaited<ReturnType<typeof newUser>>, name: string) => {
      const device = await RawDevice.connect(url, user.accessToken, deviceId(`df-${name}`));
      devices.push(device);
      return device;
    };
    const [a, b, c, d, e, f] = await Promise.all([connect(alice!, 'a'), connect(bob!, 'b'), connect(carol!, 'c'), connect(dave!, 'd'), connect(erin!, 'e'), connect(frank!, 'f')]);
    const answered = async (from: RawDevice, to: RawDevice, toUser: typeof bob) => {
      const { callId } = await from.ok('call:invite', { to: toUser!.user.username, media: 'audio' });
      await to.next('call:incoming');
      await to.ok('call:accept', { callId });
      await from.next('call:accepted');
      return callId;
    };
    const graceCall = await answered(c, d, dave);
    const hangupCall = await answered(e, f, frank);
    const { callId: ringCall } = await a.ok('call:invite', { to: bob!.user.username, media: 'video' });
    await b.next('call:incoming');

    truncateWal(join(dataDir, 'softphone.db'));
    fill(join(mountPoint, 'filler'));

    // A hang-up: acknowledged, and the other phone is told.
    expect(await e.request('call:hangup', { callId: hangupCall })).toEqual({ ok: true });
    expect(await f.next('call:ended')).toEqual({ callId: hangupCall, reason: 'hangup', by: erin!.user.userId });
    // A resume-grace timer: dave's device goes away and does not come back.
    d.close();
    expect(await c.next('call:ended', (x) => x.callId === graceCall, 10_000)).toEqual({ callId: graceCall, reason: 'connection-lost' });
    // The ring timer.
    expect(await a.next('call:ended', (x) => x.callId === ringCall, 10_000)).toEqual({ callId: ringCall, reason: 'no-answer' });
    expect(await b.next('call:ended', (x) => x.callId === ringCall, 10_000)).toEqual({ callId: ringCall, reason: 'no-answer' });

    // What cannot be recorded is refused with the retryable code, not INTERNAL; the server is up.
    expect(await a.request('call:invite', { to: frank!.user.username, media: 'audio' })).toEqual({
      ok: false,
      error: { code: 'STORAGE_UNAVAILABLE', message: expect.any(String), retryAfterMs: expect.any(Number) },
    });
    expect(await outcomeOf(api(url, 'POST', '/api/auth/login', { username: alice!.user.username, password: `password-${alice!.user.username}` }))).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(server.exitCode()).toBeNull();
    await b.settle();
    expect(b.all('missed:calls')).toEqual([]); // not recorded yet, so not announced yet
    const during = readCalls(dataDir).calls;
    for (const id of [ringCall, graceCall, hangupCall]) expect(during.find((row) => row.id === id)?.status, id).not.toBe('ended');

    // Room again: every record is written, whole, and the missed call is delivered.
    rmSync(join(mountPoint, 'filler'));
    await waitUntil(() => readCalls(dataDir).calls.filter((row) => [ringCall, graceCall, hangupCall].includes(row.id) && row.status === 'ended').length === 3, 'the records written once there is room', 30_000);
    const rows = readCalls(dataDir);
    expect(callRecordViolations(rows.calls, rows.missed)).toEqual([]);
    expect(rows.calls.find((row) => row.id === ringCall)).toMatchObject({ outcome: 'no-answer', end_reason: 'no-answer' });
    expect(rows.calls.find((row) => row.id === graceCall)).toMatchObject({ outcome: 'answered', end_reason: 'connection-lost' });
    expect(rows.calls.find((row) => row.id === hangupCall)).toMatchObject({ outcome: 'answered', end_reason: 'hangup', ended_by: erin!.user.userId });
    expect(rows.missed.map((m) => m.call_id)).toEqual([ringCall]);
    expect((await b.next('missed:calls', () => true, 10_000)).calls).toMatchObject([{ callId: ringCall, reason: 'no-answer' }]);
    expect(await a.request('call:invite', { to: frank!.user.username, media: 'audio' })).toMatchObject({ ok: true, status: 'ringing' });
    expect(server.exitCode()).toBeNull();
  });
});
