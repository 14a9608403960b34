import type { Page } from '@playwright/test';
import { allowConsoleErrors } from './support/console-errors';
import { expect, test } from './support/fixtures';

/**
 * Issue 10, item 2 in the browser: the web host keeps its 30-day refresh token in an HttpOnly,
 * SameSite=Strict cookie scoped to /api/auth, never in page storage, so a script injected into the
 * page cannot carry it away. Reloads stay signed in; tabs sharing the cookie refresh one after the
 * other (a rotated token presented twice would revoke the session); signing out ends it on the server.
 * Short access tokens make every tab refresh several times during the test.
 */
test.use({ serverEnv: { ACCESS_TOKEN_TTL: '6' } });

const connection = (page: Page) => page.getByRole('status', { name: 'Connection' });

test('no token in page storage; an HttpOnly cookie; reloads and a second tab stay signed in; sign-out ends the session', async ({ newUser, openPhone, server }) => {
  const alice = await openPhone(await newUser('alice'));
  const pageStorage = await alice.page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
  expect(pageStorage).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT anywhere a script can read
  expect(await alice.page.evaluate(() => document.cookie)).toBe('');
  expect(await alice.context.cookies()).toEqual([
    expect.objectContaining({ name: 'softphone_refresh', httpOnly: true, sameSite: 'Strict', path: '/api/auth', secure: false }),
  ]);

  await alice.page.reload();
  await expect(connection(alice.page)).toHaveText('Online');
  const second = await alice.context.newPage();
  await second.goto(server.url);
  await expect(connection(second)).toHaveText('Online');
  // Several token lifetimes: both tabs renew through the same cookie, one at a time, and stay online.
  await alice.page.waitForTimeout(15_000);
  await expect(connection(alice.page)).toHaveText('Online');
  await expect(connection(second)).toHaveText('Online');

  const cookie = (await alice.context.cookies())[0]!;
  await alice.page.getByRole('button', { name: 'Your status: Available' }).click(); // sign-out sits in the status menu
  await alice.page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(alice.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  expect(await alice.context.cookies()).toEqual([]);
  // The session is over on the server: its last refresh token no longer works, and the other tab is signed out too.
  const replay = await fetch(`${server.url}/api/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-softphone-refresh': 'cookie', cookie: `${cookie.name}=${cookie.value}` },
    body: '{}',
  });
  expect(replay.status).toBe(401);
  // The other tab learns it when its next refresh is refused: Chromium logs that 401 as a console error.
  allowConsoleErrors(/status of 401 \(Unauthorized\)/);
  await expect(second.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible({ timeout: 20_000 });
});
