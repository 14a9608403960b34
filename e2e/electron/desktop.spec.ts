import { expect, test as base } from '../support/fixtures';
import { callPerson, expectConnected, incomingDialog } from '../support/call-helpers';
import { Desktop, buildDesktop, electronBinary } from './desktop-harness';

/**
 * The desktop shell, end to end: the real Electron app (dist/electron + dist/renderer) against the
 * real signalling service, called from the web host in Chromium. Runs wherever the Electron binary
 * exists; on machines without it (no internet to download it) every test skips with one reason.
 */
const binary = electronBinary();

const test = base.extend<{ desktop: (user: { username: string; password: string }, args?: string[]) => Promise<Desktop> }>({
  desktop: async ({ server }, use) => {
    const launched: Desktop[] = [];
    await use(async (user, args) => {
      if (!('path' in binary)) throw new Error('unreachable: skipped above');
      const desktop = await Desktop.launch(binary.path, server.url, args);
      launched.push(desktop);
      await desktop.signIn(user.username, user.password);
      return desktop;
    });
    for (const desktop of launched) await desktop.close();
  },
});

test.skip(!('path' in binary), `Electron binary not available here (${'missing' in binary ? binary.missing : ''}); the desktop suite runs where it is installed.`);
test.beforeAll(() => buildDesktop());
test.describe.configure({ mode: 'serial' });

test('starts hidden in the tray with the start-at-login flag, and stays online', async ({ newUser, desktop }) => {
  const app = await desktop(await newUser('dana'), ['--hidden']);
  expect(await app.visibility()).toEqual({ main: false, incoming: false });
  expect((await app.probe()).tray.tooltip).toContain('Online');
});

test('an incoming call with the main window closed shows the incoming window and a notification; Answer connects', async ({ newUser, openPhone, desktop }) => {
  const danaUser = await newUser('dana');
  const app = await desktop(danaUser, []);
  await app.closeMainWindow();
  await expect.poll(async () => (await app.visibility()).main).toBe(false);
  const alice = await openPhone(await newUser('alice'));

  await callPerson(alice.page, danaUser.displayName, 'Video');
  await expect.poll(() => app.visibility()).toEqual({ main: false, incoming: true });
  const probe = await app.probe();
  expect(probe.notifications.at(-1)).toMatchObject({ title: `Incoming call from \u2068${alice.displayName}\u2069 (@${alice.username})`, closed: false });
  expect(probe.tray.icon).toBe('ringing');
  test.info().annotations.push({ type: 'incoming-window-latency-ms', description: String(probe.incomingShown.at(-1)) });

  const incoming = await app.page('incoming');
  await expect(incomingDialog(incoming, alice.displayName)).toBeVisible();
  await incoming.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect.poll(() => app.visibility()).toEqual({ main: true, incoming: false });
  await expectConnected(alice.page, await app.page('main'));
  expect((await app.probe()).notifications.at(-1)?.closed).toBe(true);
});

test('Decline in the incoming window stops every surface and tells the caller', async ({ newUser, openPhone, desktop }) => {
  const danaUser = await newUser('dana');
  const app = await desktop(danaUser);
  const alice = await openPhone(await newUser('alice'));
  await callPerson(alice.page, danaUser.displayName);
  await expect.poll(async () => (await app.visibility()).incoming).toBe(true);
  await (await app.page('incoming')).getByRole('button', { name: 'Decline', exact: true }).click();
  await expect.poll(async () => (await app.visibility()).incoming).toBe(false);
  await expect(alice.page.getByRole('status').filter({ hasText: 'Call declined' })).toBeVisible();
  const probe = await app.probe();
  expect(probe.notifications.at(-1)?.closed).toBe(true);
  expect(probe.tray.icon).toBe('online');
});

test('answered on another device: every desktop surface stops', async ({ newUser, openPhone, desktop }) => {
  const danaUser = await newUser('dana');
  const app = await desktop(danaUser);
  const danaBrowser = await openPhone(danaUser);
  const alice = await openPhone(await newUser('alice'));
  await callPerson(alice.page, danaUser.displayName);
  await expect.poll(async () => (await app.visibility()).incoming).toBe(true);
  await danaBrowser.page.getByRole('button', { name: 'Answer', exact: true }).click();
  await expect.poll(async () => (await app.visibility()).incoming, { timeout: 5_000 }).toBe(false);
  const probe = await app.probe();
  expect(probe.notifications.at(-1)?.closed).toBe(true);
  expect(probe.tray.icon).toBe('online');
});

test('missed calls count on the tray and the badge, and reset when the history is opened', async ({ newUser, openPhone, desktop }) => {
  const danaUser = await newUser('dana');
  const app = await desktop(danaUser);
  const alice = await openPhone(await newUser('alice'));
  for (let i = 0; i < 2; i += 1) {
    await callPerson(alice.page, danaUser.displayName);
    await expect.poll(async () => (await app.visibility()).incoming).toBe(true);
    await alice.page.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(async () => (await app.visibility()).incoming).toBe(false);
  }
  await expect.poll(async () => (await app.probe()).badge.count).toBe(2);
  expect((await app.probe()).tray.tooltip).toContain('2 missed calls');
  const main = await app.page('main');
  await main.evaluate(() => (window as unknown as { softphone: { invoke(n: string, r: unknown): Promise<unknown> } }).softphone.invoke('history.opened', {}));
  await expect.poll(async () => (await app.probe()).badge.count).toBe(0);
});

test('a softphone:// link from a second launch opens the call prompt and never dials by itself', async ({ newUser, desktop }) => {
  const danaUser = await newUser('dana');
  const bob = await newUser('bob');
  const app = await desktop(danaUser);
  await app.openLinkFromSecondInstance(`softphone://call/${bob.username}`);
  const main = await app.page('main');
  await expect(main.getByRole('dialog', { name: `Call ${bob.username}?` })).toBeVisible();
  expect((await app.visibility()).main).toBe(true);
  await expect(main.getByText(`Calling ${bob.displayName}`)).toHaveCount(0);
});
