import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceId, newUser, RawDevice } from '../../server/test/helpers/raw-device';
import { freePort, removeDataDir, runServerToExit, startServer, type TestServer } from '../support/server';
import { readCalls, snapshotStore } from './support/database';

/**
 * Issue 10, items 10 and 14: one server owns a DATA_DIR (a second one fails at once with one line naming
 * the folder, before it touches anything, and a kill -9'ed one leaves no stale lock), and every
 * configuration or start-up error is one line that names the variable or the file, with exit code 1.
 */

const servers: TestServer[] = [];
const devices: RawDevice[] = [];
const dirs: string[] = [];
afterEach(async () => {
  devices.splice(0).forEach((d) => d.close());
  for (const server of servers.splice(0)) {
    await server.stop();
    removeDataDir(server);
  }
  dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

const oneLine = (text: string) => text.trim().split('\n');
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-startup-'));
  dirs.push(dir);
  return dir;
}

describe('one server per DATA_DIR', () => {
  it('a second server on the same DATA_DIR, same port or another, fails with one line naming the folder and touches nothing', async () => {
    const first = await startServer({ env: { RING_TIMEOUT_MS: '60000' } });
    servers.push(first);
    const alice = await newUser(first.url, 'lock-a');
    const bob = await newUser(first.url, 'lock-b');
    const a = await RawDevice.connect(first.url, alice.accessToken, deviceId('lock-a'));
    const b = await RawDevice.connect(first.url, bob.accessToken, deviceId('lock-b'));
    devices.push(a, b);
    const { callId } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await b.next('call:incoming');

    for (const port of [first.port, await freePort()]) {
      const second = await runServerToExit({ DATA_DIR: first.dataDir, PORT: String(port), HOST: '127.0.0.1', WEB_ROOT: join(first.dataDir, 'no-web') });
      expect(second.code, second.stderr).toBe(1);
      expect(second.stdout).toBe('');
      expect(oneLine(second.stderr)).toEqual([expect.stringContaining(`DATA_DIR ${first.dataDir} is in use by another softphone server (pid ${first.pid()})`)]);
    }

    // The first server's call was not touched: it still rings, and is answered without a missed call.
    expect(readCalls(first.dataDir).calls.find((c) => c.id === callId)).toMatchObject({ status: 'ringing', outcome: null });
    expect(await b.ok('call:accept', { callId })).toMatchObject({ peerConnected: true });
    await a.next('call:accepted');
    await a.ok('call:hangup', { callId });
    await b.next('call:ended');
    await b.settle();
    expect(b.all('missed:calls')).toEqual([]);
    expect(readCalls(first.dataDir)).toMatchObject({ calls: [{ id: callId, outcome: 'answered', end_reason: 'hangup' }], missed: [] });
  });

  it('the lock dies with the process: after kill -9 the server starts again at once on the same DATA_DIR', async () => {
    const server = await startServer();
    servers.push(server);
    await server.kill9();
    await server.restart();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // And it is held again by the new process.
    const again = await runServerToExit({ DATA_DIR: server.dataDir, PORT: String(await freePort()), HOST: '127.0.0.1' });
    expect(oneLine(again.stderr)).toEqual([expect.stringContaining(`(pid ${server.pid()})`)]);
  });
});

describe('configuration and start-up errors: one line, exit 1', () => {
  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short-secret' }],
    ['ACCESS_TOKEN_TTL', { ACCESS_TOKEN_TTL: '-5' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://phone.example.test/path' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
  ])('a bad %s names the variable', async (variable, env) => {
    const dir = tempDir();
    const run = await runServerToExit({ DATA_DIR: dir, HOST: '127.0.0.1', ...env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = oneLine(run.stderr);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^softphone-server: invalid configuration: ${variable} `))]);
    if (variable === 'JWT_SECRET') expect(lines[0]).not.toContain('too-short-secret');
  });

  it('"file is not a database" and "unable to open database file" name the file', async () => {
    const garbage = tempDir();
    writeFileSync(join(garbage, 'softphone.db'), 'this is not an SQLite database, just some bytes '.repeat(100));
    const notADatabase = await runServerToExit({ DATA_DIR: garbage, PORT: String(await freePort()), HOST: '127.0.0.1' });
    expect(notADatabase.code).toBe(1);
    expect(oneLine(notADatabase.stderr)).toEqual([`softphone-server: cannot open the database ${join(garbage, 'softphone.db')}: file is not a database`]);

    const blocked = tempDir();
    mkdirSync(join(blocked, 'softphone.db'));
    const cannotOpen = await runServerToExit({ DATA_DIR: blocked, PORT: String(await freePort()), HOST: '127.0.0.1' });
    expect(cannotOpen.code).toBe(1);
    expect(oneLine(cannotOpen.stderr)).toEqual([`softphone-server: cannot open the database ${join(blocked, 'softphone.db')}: unable to open database file`]);
  });

  it('a port in use is one line naming the address, and comes before any recovery: a ring that expired while the server was down is left as it was', async () => {
    const server = await startServer({ env: { RING_TIMEOUT_MS: '2000' } });
    servers.push(server);
    const alice = await newUser(server.url, 'port-a');
    const bob = await newUser(server.url, 'port-b');
    const b = await RawDevice.connect(server.url, bob.accessToken, deviceId('port-b'));
    const a = await RawDevice.connect(server.url, alice.accessToken, deviceId('port-a'));
    devices.push(a, b);
    const { callId, ringUntil } = await a.ok('call:invite', { to: bob.user.username, media: 'audio' });
    await server.kill9();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(ringUntil) + 200 - Date.now())));
    const before = await snapshotStore(server);

    const busy = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
    try {
      const run = await runServerToExit({ DATA_DIR: server.dataDir, PORT: String(port), HOST: '127.0.0.1', RING_TIMEOUT_MS: '2000' });
      expect(run.code).toBe(1);
      expect(oneLine(run.stderr)).toEqual([`softphone-server: cannot listen on 127.0.0.1:${port}: the port is in use`]);
    } finally {
      busy.close();
    }
    // Recovery would have ended it no-answer with a missed call: the server that cannot serve changed nothing.
    expect(readCalls(server.dataDir)).toMatchObject({ calls: [{ id: callId, status: 'ringing', outcome: null }], missed: [] });
    expect(await snapshotStore(server)).toEqual(before);
  });
});
