import type { Browser, Page } from '@playwright/test';
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../support/chromium';

/**
 * The Chromium call page the benchmarks use (bench/browser/call-bench-page.ts: PhoneCore + simple-peer
 * with a fake microphone), bundled and served for a fault test, and a typed handle to drive it.
 */

const PAGE_SOURCE = fileURLToPath(new URL('../../../bench/browser/call-bench-page.ts', import.meta.url));

export interface CallPageApi {
  init(): Promise<void>;
  oursJoin(url: string, token: string, deviceId: string, reconnectionDelayMax?: number): Promise<void>;
  oursDial(username: string): Promise<string>;
  oursAccept(callId: string): Promise<void>;
  oursHangup(callId: string): Promise<void>;
  oursState(callId: string): { connection: string; phase: string | null; peerConnected: boolean | null; endReason: string | null };
  nextIncoming(timeoutMs?: number): Promise<string>;
  result(key: string): { acceptAt: number | null; connectAt: number | null; closedAt: number | null; endReason: string | null; error: string | null };
  bytesReceived(key: string): Promise<number>;
}

export function callPage<M extends keyof CallPageApi>(page: Page, method: M, ...args: Parameters<CallPageApi[M]>): Promise<Awaited<ReturnType<CallPageApi[M]>>> {
  return page.evaluate(
    ([name, params]) => (window as unknown as { callBench: Record<string, (...a: unknown[]) => unknown> }).callBench[name as string]?.(...(params as unknown[])),
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<CallPageApi[M]>>>;
}

export interface CallPageSite {
  url: string;
  browser: Browser;
  open(): Promise<Page>;
  close(): Promise<void>;
}

export async function startCallPageSite(): Promise<CallPageSite> {
  const dir = mkdtempSync(join(tmpdir(), 'call-page-'));
  await build({ entryPoints: [PAGE_SOURCE], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: join(dir, 'page.js'), logLevel: 'warning' });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>\n');
  const http = createServer((req, res) => {
    const file = req.url?.startsWith('/page.js') ? 'page.js' : 'index.html';
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  return {
    url,
    browser,
    async open() {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url);
      await page.waitForFunction(() => 'callBench' in window);
      await callPage(page, 'init');
      return page;
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => http.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
