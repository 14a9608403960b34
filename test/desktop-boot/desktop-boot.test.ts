import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, stopAll, uniqueName, type TestClient } from '../support/clients';
import { registerUser, removeDataDir, startServer, type TestServer } from '../support/server';
import type { AppState, WindowState } from './boot-protocol';
import { BootedApp, type BootPlatform } from './boot-harness';

/**
 * The desktop boot test: the BUILT main bundle and preload (dist/electron) run under Node with
 * `electron` resolved to a behavioural model of Electron 41 (./electron-model), on the linux
 * (X11 and Wayland), darwin and win32 code paths, against the real signalling service. What a
 * user does is done the way the OS delivers it (a tray click, Cmd+Q, Dock › Quit, a toast button
 * handed over as a second launch, Windows log-off); what the page would do is done through what
 * the preload exposed. Set BOOT_MAIN to run another build (e.g. an older main).
 */

const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
/** Windows ties toasts to the shortcut carrying electron-builder.yml's appId: the AppUserModelID must be the same. */
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const APP_ID = (load(readFileSync(`${ROOT}/electron-builder.yml`, 'utf8')) as { appId: string }).appId;
let server: TestServer;
const callers: TestClient[] = [];
const apps: BootedApp[] = [];

beforeAll(async () => {
  if (!process.env.BOOT_MAIN) {
    const build = spawnSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building dist/electron failed:\n${build.stderr}`);
  }
  server = await startServer();
}, 60_000);

afterAll(async () => {
  await stopAll(...callers);
  for (const app of apps) await app.dispose();
  await server?.stop();
  if (server) removeDataDir(server);
});

async function boot(platform: BootPlatform, options: { packaged?: boolean; args?: string[] } = {}): Promise<BootedApp> {
  const app = await BootedApp.start(platform, { serverUrl: server.url, ...options, ...(process.env.BOOT_MAIN ? { main: process.env.BOOT_MAIN } : {}) });
  apps.push(app);
  await app.waitFor('both windows loaded with the preload', (s) => s.windows.length === 2 && s.windows.every((w) => w.loads >= 1 && w.exposedKeys.includes('softphone')));
  return app;
}

async function caller(base: string): Promise<TestClient> {
  const client = await connectClient(server.url, uniqueName(base));
  callers.push(client);
  return client;
}

/** Registers a user and signs the desktop app in through the main window's bridge. */
async function signIn(app: BootedApp, base: string): Promise<string> {
  const username = uniqueName(base);
  await registerUser(server.url, username);
  const result = await app.invoke('main', 'auth.login', { username, password: `password-${username}`, serverUrl: server.url });
  expect(result).toMatchObject({ ok: true });
  await app.waitFor('the tray to show Online', (s) => s.trays.some((t) => !t.destroyed && t.tooltip.includes('Online')));
  return username;
}

const win = (state: AppState, route: 'main' | 'incoming'): WindowState => state.windows.filter((w) => w.route === route).at(-1)!;
/** The ring notification names the caller's display name (isolated) and username: display names can look alike (issue 10). */
const ringing = (state: AppState, from: TestClient['user']) =>
  state.notifications.filter((n) => n.title === `Incoming call from \u2068${from.displayName}\u2069 (@${from.username})`);

/** Places a call from `from` to the desktop user and waits until the desktop rings. */
async function ring(app: BootedApp, from: TestClient, to: string): Promise<{ callId: string; notification: number }> {
  const before = (await app.state()).notifications.length;
  const view = await from.core.call(to, 'audio');
  const state = await app.waitFor('the incoming-call notification', (s) => s.notifications.length > before && ringing(s, from.user).some((n) => n.shown && !n.closed));
  return { callId: view.callId, notification: state.notifications.length - 1 };
}

/** A booted, signed-in app with a call from Alice answered in its incoming window. */
async function inACall(platform: BootPlatform): Promise<{ app: BootedApp; alice: TestClient; callId: string }> {
  const app = await boot(platform);
  const dana = await signIn(app, 'dana');
  const alice = await caller('alice');
  const { callId } = await ring(app, alice, dana);
  expect(await app.invoke('incoming', 'phone.answer', { callId, withVideo: false })).toMatchObject({ ok: true });
  await alice.waitFor('answered', (call) => call.callId === callId);
  return { app, alice, callId };
}

/** Quit the way the platform's user does: Cmd+Q on macOS, the tray menu elsewhere. */
async function quitLikeAUser(app: BootedApp, platform: BootPlatform): Promise<void> {
  if (platform === 'darwin') await app.request({ cmd: 'app-menu', label: 'Quit' });
  else await app.request({ cmd: 'tray-menu', label: 'Quit' });
}

function expectCleanExit(state: AppState): void {
  expect(state.errors).toEqual([]);
  expect(state.windows.every((w) => w.destroyed)).toBe(true);
  expect(state.trays.every((t) => t.destroyed)).toBe(true);
  // will-quit then quit: the app hung up first (will-quit prevented once), then quit for real.
  expect(state.lifecycle.filter((e) => e === 'quit')).toHaveLength(1);
  expect(state.lifecycle).not.toContain('window-all-closed');
}

/** One scenario boots a child process and talks to a real server: generous on a loaded 2-core machine. */
const SCENARIO_MS = 90_000;

// Boot-time checks are soft (every broken one is reported, and the scenario goes on to the quit).
describe.each(['linux', 'linux-wayland', 'darwin', 'win32'] as const)('desktop boot on %s', (platform) => {
  const wayland = platform === 'linux-wayland';
  const os = wayland ? 'linux' : platform;

  it('boots hardened, signs in, rings, declines, counts a missed call, prompts for a deep link, and Quit with no call exits', async () => {
    const app = await boot(platform);
    let state = await app.state();

    // Launched as `npm start` and the _electron suite launch it (electronAppArgs): Electron reads
    // package.json, so the app is Softphone, not default_app's "Electron" (~/.config/Electron).
    expect.soft(state.identity).toMatchObject({ name: 'Softphone', desktopName: 'softphone.desktop', packaged: false });

    // The one IPC channel, the sandboxed preload exposing one frozen object, no eval under the CSP.
    expect.soft(state.errors).toEqual([]);
    expect.soft(state.ipcChannels).toEqual(['softphone:invoke']);
    expect.soft(state.sandboxEnabled).toBe(true);
    for (const w of state.windows) {
      expect.soft(w.prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: true, preload: 'index.cjs' });
      expect.soft(w.exposedKeys).toEqual(['softphone']);
      expect.soft(w.evalAttempts).toEqual([]);
    }
    expect.soft(await app.request({ cmd: 'exposed', window: 'main' })).toEqual({ keys: ['softphone'], api: ['invoke', 'on'], frozen: true });
    expect.soft(state.privilegedSchemes).toEqual(['app']);
    expect.soft(state.handledSchemes).toEqual(['app']);

    // The application menu: Quit through the app (Cmd/Ctrl+Q), no Reload anywhere.
    expect.soft(state.appMenu?.find((i) => i.label === 'Quit')).toMatchObject({ accelerator: 'CommandOrControl+Q', role: null });
    expect.soft(state.appMenu?.filter((i) => /reload|quit/i.test(i.role ?? ''))).toEqual([]);

    // Platform integration.
    expect.soft(state.appUserModelId).toBe(os === 'win32' ? APP_ID : null);
    expect.soft(state.dockHidden).toBe(false);
    const incoming = win(state, 'incoming');
    expect.soft(incoming.type).toBe(os === 'darwin' ? 'panel' : null);
    const allWorkspaces = { darwin: [[true, { visibleOnFullScreen: true, skipTransformProcessType: true }]], linux: [[true, null]], 'linux-wayland': [], win32: [] }[platform];
    expect.soft(incoming.allWorkspacesCalls).toEqual(allWorkspaces);
    expect.soft(state.switches['enable-features'] ?? '').toBe(os === 'linux' ? 'GlobalShortcutsPortal' : '');
    expect.soft(state.protocolClients).toEqual(os === 'win32' ? { softphone: { path: process.execPath, args: [ROOT] } } : {});
    const tray = state.trays[0]!;
    expect.soft(tray.image.empty).toBe(false);
    expect.soft(tray.image.template).toBe(os === 'darwin');
    expect.soft(tray.image.file).toMatch(os === 'darwin' ? /Template\.png$/ : /^tray-[a-z-]+\.png$/);

    const dana = await signIn(app, 'dana');

    // A crashed, pre-warmed incoming window is reloaded (its preload runs again) before the next call needs it.
    await app.request({ cmd: 'crash', window: 'incoming' });
    await app.waitFor('the incoming window reloaded', (s) => win(s, 'incoming').loads === 2 && win(s, 'incoming').exposedKeys.includes('softphone'));

    // An incoming call: the incoming window (not on Wayland: the notification rings there) and a notification.
    const alice = await caller('alice');
    const first = await ring(app, alice, dana);
    state = await app.waitFor('the incoming window to get the call', (s) => win(s, 'incoming').events.some((e) => e.name === 'phone.incoming'));
    expect(win(state, 'incoming').visible).toBe(!wayland);
    const shown = state.notifications[first.notification]!;
    expect(shown).toMatchObject({ urgency: 'critical' });
    if (os === 'darwin') expect(shown.actions).toEqual([{ type: 'button', text: 'Answer' }, { type: 'button', text: 'Decline' }]);
    if (os === 'win32') expect(shown.toastXml).toContain('scenario="incomingCall"');
    if (wayland) {
      await app.request({ cmd: 'notification', index: first.notification, action: 'click' });
      await app.waitFor('a click on the notification to bring the incoming window forward', (s) => win(s, 'incoming').visible);
    }

    // Decline, the way each platform offers it.
    if (os === 'darwin') await app.request({ cmd: 'notification', index: first.notification, action: 'action', actionIndex: 1 });
    else if (os === 'win32') {
      const link = /arguments="(softphone:\/\/notification\/[^"]+\/decline)"/.exec(shown.toastXml ?? '')?.[1];
      expect(link).toBeDefined();
      await app.request({ cmd: 'second-instance', argv: [process.execPath, '.', link!] });
    } else expect(await app.invoke('incoming', 'phone.decline', { callId: first.callId })).toMatchObject({ ok: true });
    await alice.waitFor('ended', (call) => call.callId === first.callId && call.endReason === 'declined');
    state = await app.waitFor('every ring surface to stop', (s) => !win(s, 'incoming').visible && s.notifications[first.notification]!.closed);

    // A missed call: the caller gives up; the badge and the tray count it.
    const second = await ring(app, alice, dana);
    await alice.core.end(second.callId);
    state = await app.waitFor('the missed call on the badge', (s) => s.badgeCalls.includes(1) && s.trays[0]!.tooltip.includes('1 missed call'));
    // macOS (Dock) and Windows (taskbar overlay) show it; Linux only under Unity, which this machine is not.
    expect(state.badgeCount).toBe(os === 'linux' ? 0 : 1);

    // A deep link asks first and never dials: a second launch on Windows and Linux, open-url on macOS.
    const bob = uniqueName('bob');
    await registerUser(server.url, bob);
    if (os === 'darwin') await app.request({ cmd: 'open-url', url: `softphone://call/${bob}` });
    else await app.request({ cmd: 'second-instance', argv: [process.execPath, '.', `softphone://call/${bob}`] });
    state = await app.waitFor('the deep-link prompt', (s) => win(s, 'main').events.some((e) => e.name === 'deepLink.prompt' && (e.payload as { username: string }).username === bob));
    expect(win(state, 'main').visible).toBe(true);
    const snapshot = await app.invoke<{ calls: unknown[] }>('main', 'phone.snapshot');
    expect(snapshot.ok && snapshot.value.calls).toEqual([]);

    // Closing the main window keeps the app running: hidden to the tray, or minimized where Linux shows no tray.
    await app.request({ cmd: 'close-window', window: 'main' });
    state = await app.waitFor('the main window to go away', (s) => !win(s, 'main').visible);
    expect(win(state, 'main')).toMatchObject({ destroyed: false, minimized: os === 'linux' });

    // Quit with no call: no question, every window and the tray gone, the process ends.
    await quitLikeAUser(app, platform);
    const { state: final } = await app.waitForExit();
    expectCleanExit(final);
    expect(final.dialogs).toEqual([]);
  }, SCENARIO_MS);
});

// Wayland changes only the ring surfaces; the quit paths are the Linux ones.
describe.each(['linux', 'darwin', 'win32'] as const)('desktop quit on %s', (platform) => {
  const os = platform;

  it('Quit during a call asks first: Cancel keeps the call, End call and quit hangs up and exits', async () => {
    const { app, alice, callId } = await inACall(platform);

    // macOS: Dock › Quit (a quit Electron starts natively, not through the app's menu); elsewhere the tray.
    if (os === 'darwin') await app.request({ cmd: 'native-quit' });
    else await quitLikeAUser(app, platform);
    let state = await app.waitFor('the quit question', (s) => s.pendingDialogs === 1);
    expect(state.dialogs.at(-1)).toEqual({ message: 'End the call and quit?', buttons: ['End call and quit', 'Cancel'] });
    await app.request({ cmd: 'dialog', response: 1 });
    // Cancelled: still running, windows intact, the call still up on both sides.
    state = await app.state();
    expect(state.shutDown).toBe(false);
    expect(state.windows.some((w) => w.destroyed)).toBe(false);
    const up = await app.invoke<{ calls: { callId: string; phase: string }[] }>('main', 'phone.snapshot');
    expect(up.ok && up.value.calls.find((c) => c.callId === callId)?.phase).toBe('active');
    expect(alice.all('ended')).toEqual([]);

    await app.request({ cmd: 'app-menu', label: 'Quit' });
    await app.waitFor('the quit question again', (s) => s.pendingDialogs === 1);
    await app.request({ cmd: 'dialog', response: 0 });
    const { state: final } = await app.waitForExit();
    expectCleanExit(final);
    await alice.waitFor('ended', (call) => call.callId === callId && call.endReason === 'hangup');
  }, SCENARIO_MS);

  it(
    os === 'win32' ? 'Windows log-off: query-session-end hangs up at once, session-end quits without asking' : 'OS shutdown (powerMonitor) during a call hangs up and quits without asking',
    async () => {
      const { app, alice, callId } = await inACall(platform);
      if (os === 'win32') {
        // Neither before-quit nor powerMonitor 'shutdown' happens on Windows log-off.
        await app.request({ cmd: 'session-end', kind: 'query-session-end' });
        await alice.waitFor('ended', (call) => call.callId === callId && call.endReason === 'hangup');
        expect((await app.state()).shutDown).toBe(false);
        await app.request({ cmd: 'session-end', kind: 'session-end' });
      } else {
        await app.request({ cmd: 'power', event: 'shutdown' });
      }
      const { state: final } = await app.waitForExit();
      expectCleanExit(final);
      expect(final.dialogs).toEqual([]);
      await alice.waitFor('ended', (call) => call.callId === callId && call.endReason === 'hangup');
    },
    SCENARIO_MS,
  );
});

describe('a packaged build (linux)', () => {
  it('ignores the test switches, has no developer tools, registers the installed executable for softphone: links, and Quit exits', async () => {
    // --softphone-test, SOFTPHONE_USER_DATA and SOFTPHONE_SERVER_URL are all given (the harness sets the two variables).
    const app = await boot('linux', { packaged: true, args: ['--softphone-test'] });
    const state = await app.state();
    expect(state.errors).toEqual([]);
    expect(state.identity).toEqual({ name: 'Softphone', desktopName: 'softphone.desktop', packaged: true, userData: `${app.home}/.config/Softphone` });
    expect(state.testProbe).toBe(false);
    expect(Object.keys(state.switches)).not.toContain('use-fake-ui-for-media-stream');
    expect(state.windows.map((w) => w.prefs.devTools)).toEqual([false, false]);
    expect(state.appMenu?.filter((i) => i.role === 'toggleDevTools' || i.label === 'Develop')).toEqual([]);
    expect(state.protocolClients).toEqual({ softphone: { path: process.execPath, args: [] } });
    await quitLikeAUser(app, 'linux');
    expectCleanExit((await app.waitForExit()).state);
  }, SCENARIO_MS);
});
