import { chromium, type Browser, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/support/chromium';
import type { AgentApi } from './conference-agent-page';
import { watchConsole } from './console-errors';
import { WEB_ROOT } from './fixtures';

/**
 * Three parties, each with a microphone of its own: Chromium's fake microphone plays the same beep in
 * every context of one browser, so each party runs in its own Chromium whose fake microphone plays a
 * WAV file of one pure tone (`--use-file-for-fake-audio-capture`, looped).
 */
export class ToneFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'softphone-tones-'));

  /** A 1 s, 48 kHz, 16-bit mono WAV of a sine at `hz` (a whole number of cycles, so the loop is seamless), at half scale. */
  file(hz: number): string {
    const rate = 48_000;
    const samples = Buffer.alloc(rate * 2);
    for (let i = 0; i < rate; i++) samples.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 0.5 * 32767), i * 2);
    const header = Buffer.alloc(44);
    header.write('RIFF', 0);
    header.writeUInt32LE(36 + samples.length, 4);
    header.write('WAVEfmt ', 8);
    header.writeUInt32LE(16, 16); // fmt chunk size
    header.writeUInt16LE(1, 20); // PCM
    header.writeUInt16LE(1, 22); // mono
    header.writeUInt32LE(rate, 24);
    header.writeUInt32LE(rate * 2, 28); // bytes per second
    header.writeUInt16LE(2, 32); // block align
    header.writeUInt16LE(16, 34); // bits per sample
    header.write('data', 36);
    header.writeUInt32LE(samples.length, 40);
    const path = join(this.dir, `tone-${hz}.wav`);
    writeFileSync(path, Buffer.concat([header, samples]));
    return path;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A headless Chromium whose fake microphone plays `wavPath`. */
export function launchWithMicrophone(wavPath: string): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, `--use-file-for-fake-audio-capture=${wavPath}`] });
}

/** The path of the agent page inside the web root. */
export const AGENT_PATH = '/e2e-conference-agent/';

/**
 * A web root for the signalling service: the built app (for the customer and the expert) plus the agent
 * page (conference-agent-page.ts bundled), so every page comes from the service's own origin as in
 * production (a page served by Playwright's routing counts as public to Chromium's Local Network
 * Access checks, which then refuse its WebSocket to 127.0.0.1). Remove it with `rmSync` when done.
 */
export async function conferenceWebRoot(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'softphone-conference-web-'));
  cpSync(WEB_ROOT, root, { recursive: true });
  const dir = join(root, AGENT_PATH);
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./conference-agent-page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    define: { __APP_VERSION__: JSON.stringify('e2e') },
    outfile: join(dir, 'agent.js'),
    logLevel: 'warning',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>agent</title><script type="module" src="agent.js"></script>\n');
  return root;
}

/** Opens the agent page of the service at `serverUrl` (started with a conferenceWebRoot) in `browser`. */
export async function openAgentPage(browser: Browser, serverUrl: string): Promise<Page> {
  const context = await browser.newContext({ permissions: ['microphone', 'camera'] });
  context.on('page', watchConsole);
  const page = await context.newPage();
  await page.goto(`${serverUrl}${AGENT_PATH}`);
  await page.waitForFunction(() => 'agent' in window);
  return page;
}

type Method = keyof AgentApi;

/** Calls `window.agent[method](...args)` in the agent page. */
export function agent<M extends Method>(page: Page, method: M, ...args: Parameters<AgentApi[M]>): Promise<Awaited<ReturnType<AgentApi[M]>>> {
  return page.evaluate(
    ([name, params]) => {
      const api = (window as unknown as { agent: Record<string, (...a: unknown[]) => unknown> }).agent;
      return api[name as string]!(...(params as unknown[]));
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<AgentApi[M]>>>;
}
