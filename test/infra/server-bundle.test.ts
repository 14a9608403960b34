import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_EXTERNALS } from '../../scripts/build-server.mjs';
import { ensureServerBundle } from '../support/server-bundle';
import { api, freePort, registerUser } from '../support/server';
import { waitUntil } from '../support/infra/managed-process';

/**
 * The compiled service needs nothing from node_modules but the packages the build leaves external (the
 * native addons): deploy/Containerfile and the docs rely on it. Run the bundle from a folder whose
 * node_modules holds only those, and use what needs them (argon2 at registration, SQLite everywhere).
 */

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const release = mkdtempSync(join(tmpdir(), 'bundle-release-'));
afterAll(() => rmSync(release, { recursive: true, force: true }));

describe('the server bundle', () => {
  it('runs with only its external packages installed next to it', async () => {
    const bundle = await ensureServerBundle();
    mkdirSync(join(release, 'dist/server'), { recursive: true });
    for (const file of ['main.js', 'main.js.map']) copyFileSync(join(dirname(bundle), file), join(release, 'dist/server', file));
    const installed = SERVER_EXTERNALS.filter((name) => existsSync(join(ROOT, 'node_modules', name)));
    expect(installed).toEqual(expect.arrayContaining(['better-sqlite3', '@node-rs/argon2']));
    for (const name of installed) {
      mkdirSync(dirname(join(release, 'node_modules', name)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), join(release, 'node_modules', name));
    }

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let output = '';
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], {
      cwd: release,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: join(release, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((done) => child.once('exit', done));
    try {
      await waitUntil('the bundle answering /healthz', async () => (await fetch(`${url}/healthz`)).ok, { alive: () => child.exitCode === null, log: () => output });
      const auth = await registerUser(url, 'bundled');
      expect(auth.user.username).toBe('bundled');
      expect(await api<{ user: { username: string } }>(url, 'GET', '/api/me', undefined, auth.accessToken)).toEqual({ user: auth.user, roles: [], lines: [] });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    expect(child.exitCode).toBe(0);
  }, 60_000);
});
