import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../test/support/server';
import { handshakeWith, newUser } from './helpers/raw-device';

let server: TestServer;
const webRoot = mkdtempSync(join(tmpdir(), 'softphone-web-'));

beforeAll(async () => {
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>softphone web</title>');
  writeFileSync(join(webRoot, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ env: { WEB_ROOT: webRoot, CORS_ORIGINS: 'https://app.example.test' } });
});
afterAll(async () => {
  await server.stop();
});

const wsOrigin = (origin: string, token: string) => handshakeWith(server.url, token, { origin });

describe('web client and origins', () => {
  it('serves WEB_ROOT at / with an index.html fallback for client routes, but not for the API', async () => {
    expect(await (await fetch(`${server.url}/`)).text()).toContain('softphone web');
    expect(await (await fetch(`${server.url}/assets/app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${server.url}/calls/recent`)).text()).toContain('softphone web');
    const api = await fetch(`${server.url}/api/nothing-here`);
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });

  it('accepts sockets from configured origins and the same origin, refuses others; CORS headers follow the list', async () => {
    const user = await newUser(server.url, 'origin');
    expect(await wsOrigin('https://app.example.test', user.accessToken)).toBe('connected');
    expect(await wsOrigin(server.url, user.accessToken)).toBe('connected');
    expect(await wsOrigin('https://evil.example.test', user.accessToken)).not.toBe('connected');

    const allowed = await fetch(`${server.url}/api/auth/login`, { method: 'OPTIONS', headers: { origin: 'https://app.example.test', 'access-control-request-method': 'POST' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    const refused = await fetch(`${server.url}/api/auth/login`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.test', 'access-control-request-method': 'POST' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});
