import type { ConsoleMessage, Page, TestInfo } from '@playwright/test';

/**
 * Every page a test opens (through openContext) reports its console errors and uncaught
 * exceptions here; the automatic fixture `failOnConsoleErrors` fails the test when there are any.
 * A test that breaks the network on purpose (a service restart) declares the browser's own
 * network errors it expects with allowConsoleErrors(); nothing else is let through.
 */
interface Collector {
  errors: string[];
  allowed: RegExp[];
}

let current: Collector = { errors: [], allowed: [] };

export function consoleErrorsOf(_testInfo: TestInfo): { list(): string[] } {
  current = { errors: [], allowed: [] };
  const mine = current;
  return { list: () => mine.errors.filter((text) => !mine.allowed.some((pattern) => pattern.test(text))) };
}

/** Errors this test causes on purpose (matched against "url: text"). */
export function allowConsoleErrors(...patterns: RegExp[]): void {
  current.allowed.push(...patterns);
}

/**
 * The browser's own lines for requests to a server that is down (not the app's): refused while it is down,
 * and reset (or answered with nothing) when it stops in the middle of a request.
 */
export const SERVER_DOWN_ERRORS = [/net::ERR_CONNECTION_(REFUSED|RESET)/, /net::ERR_EMPTY_RESPONSE/, /WebSocket connection to .* failed/, /Failed to load resource: the server responded with a status of 50[23]/];

export function watchConsole(page: Page): void {
  const collector = current;
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') collector.errors.push(`${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => collector.errors.push(`${page.url()}: uncaught ${error.name}: ${error.message}`));
}
