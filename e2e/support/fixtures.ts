import { resolve } from 'node:path';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { consoleErrorsOf, watchConsole } from './console-errors';
import { registerUser, removeDataDir, startServer, type TestServer } from '../../test/support/server';

export { expect };

/** The built renderer the test servers serve. */
export const WEB_ROOT = resolve(import.meta.dirname, '../../dist/renderer');

/** One signed-in person in one browser context (a separate browser profile: own storage, own device). */
export interface Phone {
  context: BrowserContext;
  page: Page;
  username: string;
  displayName: string;
}

interface WorkerFixtures {
  /** Extra server environment for a describe block (e.g. a short RING_TIMEOUT_MS). */
  serverEnv: Record<string, string>;
  server: TestServer;
}

interface TestFixtures {
  /** Fails the test when any page it opened logged an error (issue 12): automatic, see console-errors.ts. */
  failOnConsoleErrors: void;
  /** Creates a user through the HTTP API (fast) and returns its name. */
  newUser: (prefix: string, displayName?: string) => Promise<{ username: string; displayName: string; password: string }>;
  /** Opens a fresh context, signs in through the screens and waits for the home screen. */
  openPhone: (user: { username: string; displayName: string; password: string }, options?: { locale?: string }) => Promise<Phone>;
}

/**
 * Test-side instrumentation (not product code): remember every RTCPeerConnection the page creates
 * so the tests can read getStats() of the call's real connection.
 */
const COLLECT_PEER_CONNECTIONS = `(() => {
  const Native = window.RTCPeerConnection;
  window.__peerConnections = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      this.iceStates = [];
      this.iceTimes = [];
      this.addEventListener('iceconnectionstatechange', () => {
        this.iceStates.push(this.iceConnectionState);
        this.iceTimes.push(this.iceConnectionState + '@' + Date.now());
      });
      window.__peerConnections.push(this);
    }
  };
})();`;

let counter = 0;

export const test = base.extend<TestFixtures, WorkerFixtures>({
  serverEnv: [{}, { option: true, scope: 'worker' }],
  failOnConsoleErrors: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured object; this one needs none
    async ({}, use, testInfo) => {
      const errors = consoleErrorsOf(testInfo);
      await use();
      expect(errors.list(), 'errors logged by the pages of this test').toEqual([]);
    },
    { auto: true },
  ],
  server: [
    async ({ serverEnv }, use) => {
      const server = await startServer({ env: { WEB_ROOT, ...serverEnv } });
      await use(server);
      await server.stop();
      removeDataDir(server);
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  newUser: async ({ server }, use) => {
    await use(async (prefix, displayName) => {
      counter += 1;
      const username = `${prefix}${process.pid.toString(36)}${counter}${Date.now().toString(36).slice(-4)}`.toLowerCase().slice(0, 32);
      const name = displayName ?? `${prefix[0]!.toUpperCase()}${prefix.slice(1)} ${counter}`;
      const password = `password-${username}`;
      await registerUser(server.url, username, password, name);
      return { username, displayName: name, password };
    });
  },
  openPhone: async ({ browser, server }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (user, options) => {
      const phone = await openContext(browser, server.url, options?.locale);
      contexts.push(phone.context);
      await signIn(phone.page, user.username, user.password);
      return { ...phone, username: user.username, displayName: user.displayName };
    });
    for (const context of contexts) await context.close();
  },
});

/**
 * `bypassCSP`: only for screenshot tests, whose hide-what-moves style sheet Playwright injects inline,
 * which the service's strict CSP (style-src 'self') rightly refuses.
 */
export async function openContext(
  browser: Browser,
  url: string,
  locale = 'en-GB',
  options: { bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  // The same options as the configuration's `use`, for browsers launched by a test itself.
  const context = await browser.newContext({ locale, permissions: ['microphone', 'camera', 'notifications'], bypassCSP: options.bypassCSP ?? false });
  await context.addInitScript(COLLECT_PEER_CONNECTIONS);
  context.on('page', watchConsole);
  const page = await context.newPage();
  await page.goto(url);
  return { context, page };
}

export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeAttached();
  await expect(page.getByRole('status', { name: 'Connection' })).toHaveText('Online');
}
