import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/support/server';
import { handshakeWith, newUser } from './helpers/raw-device';

/**
 * Issue 10, items 8 and 9: the web host's security headers, and the Host check that stops DNS
 * rebinding (a page on evil.example, resolving to 127.0.0.1, talking to a local `npm start`).
 */

/** The desktop renderer's policy, read from its source (server code may not import electron/). */
const DESKTOP_CSP = /content-security-policy'\] = [^\n]*\n\s*"([^"]+)"/.exec(readFileSync(new URL('../../electron/main/csp.ts', import.meta.url), 'utf8'))?.[1] ?? '';

let server: TestServer;
let configured: TestServer;
const webRoot = mkdtempSync(join(tmpdir(), 'softphone-web-'));

beforeAll(async () => {
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>softphone web</title>');
  [server, configured] = await Promise.all([
    startServer({ env: { WEB_ROOT: webRoot } }),
    startServer({ env: { WEB_ROOT: webRoot, PUBLIC_URL: 'https://phone.example.test', ALLOWED_HOSTS: 'phone.internal.test' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server.stop(), configured.stop()]);
});

/** A raw HTTP request with a chosen Host header (fetch does not let one set it). */
function get(target: TestServer, path: string, host: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: target.port, path, method: 'GET', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const handshake = (target: TestServer, token: string, headers: Record<string, string>) => handshakeWith(target.url, token, headers);

describe('security headers', () => {
  it('the web host page carries the desktop CSP, frame and sniffing protection and no referrer', async () => {
    const page = await fetch(`${server.url}/`);
    expect(await page.text()).toContain('softphone web');
    const csp = page.headers.get('content-security-policy');
    const directives = (policy: string) => policy.split(';').map((d) => d.trim()).filter(Boolean).sort();
    expect(DESKTOP_CSP).toContain("default-src 'none'");
    expect(directives(csp ?? '')).toEqual(directives(DESKTOP_CSP));
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-powered-by')).toBeNull();
    // Also on API answers and errors.
    const missing = await fetch(`${server.url}/api/nothing`);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('token responses and /api/me are Cache-Control: no-store', async () => {
    const user = await newUser(server.url, 'nostore');
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user.user.username, password: `password-${user.user.username}` }),
    });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${login.ok ? ((await login.json()) as { accessToken: string }).accessToken : ''}` } });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: 'x' }) });
    expect(refused.headers.get('cache-control')).toBe('no-store');
  });
});

describe('Host header check', () => {
  it('refuses a foreign Host with 421 UNKNOWN_HOST; answers IP literals and localhost', async () => {
    const rebound = await get(server, '/', `evil.example.test:${server.port}`);
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body)).toEqual({ error: { code: 'UNKNOWN_HOST', message: expect.any(String) } });
    expect((await get(server, '/api/me', `evil.example.test:${server.port}`)).status).toBe(421);
    expect((await get(server, '/healthz', `evil.example.test`)).status).toBe(421);
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `[::1]:${server.port}`, '192.0.2.10']) {
      expect((await get(server, '/healthz', host)).status, host).toBe(200);
    }
  });

  it('refuses a socket handshake with a foreign Host even when the Origin matches it (DNS rebinding)', async () => {
    const user = await newUser(server.url, 'rebind');
    const evil = `evil.example.test:${server.port}`;
    expect(await handshake(server, user.accessToken, { host: evil, origin: `http://${evil}` })).not.toBe('connected');
    expect(await handshake(server, user.accessToken, { host: evil })).not.toBe('connected');
    // The service's own origin comes from configuration, not from the request.
    expect(await handshake(server, user.accessToken, { origin: server.url })).toBe('connected');
    expect(await handshake(server, user.accessToken, { origin: `http://localhost:${server.port}` })).toBe('connected');
    expect(await handshake(server, user.accessToken, { origin: `http://127.0.0.1:${server.port + 1}` })).not.toBe('connected');
  });

  it('with PUBLIC_URL and ALLOWED_HOSTS, those names are the service: its origin is PUBLIC_URL\'s', async () => {
    expect((await get(configured, '/healthz', 'phone.example.test')).status).toBe(200);
    expect((await get(configured, '/healthz', 'phone.internal.test:8443')).status).toBe(200);
    expect((await get(configured, '/healthz', 'phone.example.test.evil.test')).status).toBe(421);
    const user = await newUser(configured.url, 'public');
    expect(await handshake(configured, user.accessToken, { origin: 'https://phone.example.test' })).toBe('connected');
    expect(await handshake(configured, user.accessToken, { origin: 'http://phone.example.test' })).not.toBe('connected');
    expect(await handshake(configured, user.accessToken, { host: 'phone.example.test', origin: 'https://phone.example.test' })).toBe('connected');
  });
});
