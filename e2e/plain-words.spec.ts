import { SERVER_DOWN_ERRORS, allowConsoleErrors } from './support/console-errors';
import { expect, openContext, test } from './support/fixtures';

// Its own server (any option value of its own gets one): the last test restarts it.
test.use({ serverEnv: { RING_TIMEOUT_MS: '60000' } });

test('finding 9: sign-in and registration check each field as you type and put the problem on the field, in plain words', async ({ browser, server, newUser }) => {
  const user = await newUser('plain');
  const { page } = await openContext(browser, server.url);
  const username = page.getByLabel('Username');
  await username.fill('Not Valid!');
  await username.blur();
  await expect(username).toHaveAttribute('aria-invalid', 'true');
  await expect(username).toHaveAccessibleDescription(/Use 3 to 32 lower-case letters/);
  await username.fill(user.username);
  await expect(username).not.toHaveAttribute('aria-invalid', 'true'); // fixed as you type

  // Submitting with an empty password marks it and moves focus there; nothing is sent.
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toBeFocused();
  await expect(password).toHaveAccessibleDescription('Enter your password.');

  // The server's refusal, in words, without codes or field paths.
  allowConsoleErrors(/status of 401/); // the browser's own line for the refused login request
  await password.fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');

  await page.getByRole('button', { name: 'New here? Create an account' }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Display name').fill('Plain Person');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Password', { exact: true }).blur();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(/At least 8 characters\. Use at least 8 characters\./);
  await page.getByLabel('Password', { exact: true }).fill('long-enough-password');
  allowConsoleErrors(/status of 409/);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByLabel('Username')).toHaveAccessibleDescription(/This username is taken\. Choose another one\./);
  await expect(page.getByText(/Some fields are not valid|VALIDATION_FAILED|USERNAME_TAKEN/)).toHaveCount(0);
});

test('finding 9: the dial box says what is wrong, and a new attempt replaces the old message', async ({ newUser, openPhone }) => {
  const alice = await openPhone(await newUser('alice'));
  const dial = alice.page.getByLabel('Call by username');
  const call = alice.page.getByRole('button', { name: 'Call', exact: true });
  await dial.fill('nobody-here-at-all');
  await call.click();
  await expect(dial).toHaveAccessibleDescription('Nobody is called “nobody-here-at-all” on this server.');
  await expect(dial).toHaveAttribute('aria-invalid', 'true');
  await dial.fill('');
  await call.click();
  await expect(dial).toHaveAccessibleDescription('Type the username of the person to call.');
  await expect(alice.page.getByText('Nobody is called')).toHaveCount(0);
  await dial.fill('Bad Name');
  await expect(dial).toHaveAccessibleDescription(/Use 3 to 32 lower-case letters/);
  await dial.fill('');
  await expect(dial).toHaveAccessibleDescription('Type the username of the person to call.');
});

test('finding 9: a service restart reads as plain words in the header, not transport jargon', async ({ newUser, openPhone, server }) => {
  allowConsoleErrors(...SERVER_DOWN_ERRORS);
  const alice = await openPhone(await newUser('alice'));
  const connection = alice.page.getByRole('status', { name: 'Connection' });
  const seen = new Set<string>();
  const watch = setInterval(() => void connection.textContent().then((text) => text && seen.add(text)).catch(() => undefined), 100);
  await server.stop();
  await expect(connection).toHaveText(/The server is restarting|Cannot reach the server/);
  await alice.page.waitForTimeout(3_000);
  await server.restart();
  await expect(connection).toHaveText('Online', { timeout: 20_000 });
  clearInterval(watch);
  expect([...seen].filter((text) => /websocket|transport|xhr|error\)|\(/i.test(text))).toEqual([]);
  expect(seen.size).toBeGreaterThan(1);
});
