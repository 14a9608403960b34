import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test/support/chromium';
import { appProtocolHandler } from './main/app-protocol';
import { APP_ORIGIN } from './main/config';

/**
 * The built renderer (dist/renderer, what app.asar ships) served by the app's own app:// handler,
 * so with the production CSP (no 'unsafe-eval'), in Chromium: the page must boot without a single
 * CSP violation. Zod 4 probes `new Function` when its first object schema is built unless
 * `z.config({ jitless: true })` ran before (shared/zod-jitless.ts, imported first by the entry).
 */
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const RENDERER = join(ROOT, 'dist/renderer');
let server: Server;
let browser: Browser;
let origin = '';

beforeAll(async () => {
  if (!existsSync(join(RENDERER, 'index.html'))) spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: 'inherit' });
  const handler = appProtocolHandler(RENDERER, (file) => readFile(file));
  server = createServer((request, response) => {
    void handler({ url: `${APP_ORIGIN}${request.url ?? '/'}`, method: request.method ?? 'GET' }).then(async (answer) => {
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

describe('the shipped renderer under the production CSP', () => {
  it('boots with no CSP violation (no eval probe from zod, nothing inline)', async () => {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on('console', (message) => console.push(`${message.type()}: ${message.text()}`));
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const response = await page.goto(`${origin}/`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0, null, { timeout: 20_000 });
    const violations = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    expect(violations).toEqual([]);
    expect(console.filter((line) => /Content Security Policy|unsafe-eval/i.test(line))).toEqual([]);
    await page.close();
  });
});
