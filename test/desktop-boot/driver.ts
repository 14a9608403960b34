/**
 * The child process of the desktop boot test: loads the app's BUILT main bundle
 * (dist/electron/main/index.js) with `electron` resolved to the Electron model, on the platform
 * code path named by BOOT_PLATFORM, then does what the test asks (click the tray, answer a
 * dialog, end the session...) and reports the model's state. Started by boot-harness.ts.
 */
import { createRequire, register } from 'node:module';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppState, BootCommand, DriverMessage, WindowName, WindowState } from './boot-protocol';
import type * as ElectronModel from './electron-model/index';

const platform = process.env.BOOT_PLATFORM;
if (platform !== 'linux' && platform !== 'darwin' && platform !== 'win32') throw new Error(`BOOT_PLATFORM must be linux, darwin or win32 (got ${platform})`);
// Everything that loads from here on sees the chosen platform.
Object.defineProperty(process, 'platform', { value: platform });

const modelUrl = new URL('./electron-model/index.ts', import.meta.url).href;
register(new URL('./electron-resolve-hooks.mjs', import.meta.url), { data: { modelUrl } });
const electron = await import(modelUrl);
const { world, app, control, emitPower, launch } = electron as typeof ElectronModel;
/** The main script Electron found for the launch (package.json `main`), unless BOOT_MAIN names another build. */
const mainBundle = process.env.BOOT_MAIN ?? launch.mainFile;
// CommonJS packages bundled into main reach `electron` through require() (the bundle's createRequire).
const nodeModule = createRequire(import.meta.url)('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
const load = nodeModule._load;
nodeModule._load = function (request: string, ...rest: unknown[]) {
  return request === 'electron' ? electron : load.call(this, request, ...rest);
};

const send = (message: DriverMessage) => process.send?.(message);

// Every window the app creates, with the bridge events its page receives.
type BrowserWindowModel = ReturnType<typeof world.windows.all>[number];
const EVENT_NAMES = ['phone.incoming', 'phone.ringStopped', 'phone.answered', 'phone.ended', 'phone.missed', 'deepLink.prompt', 'deepLink.error'];
const seen: { window: BrowserWindowModel; events: { name: string; payload: unknown }[] }[] = [];
app.on('browser-window-created', (_event: unknown, window: BrowserWindowModel) => {
  const record = { window, events: [] as { name: string; payload: unknown }[] };
  seen.push(record);
  window.webContents.on('did-finish-load', () => {
    const renderer = window.webContents.renderer;
    for (const name of EVENT_NAMES) {
      void renderer?.callExposed('softphone', 'on', [name, (payload: unknown) => record.events.push({ name, payload: structuredClone(payload) })]).catch(() => undefined);
    }
  });
});

const routeOf = (window: BrowserWindowModel): WindowName => (window.webContents.getURL().includes('#/incoming') ? 'incoming' : 'main');
const windowNamed = (name: WindowName) => {
  const found = seen.find((r) => routeOf(r.window) === name && !r.window.isDestroyed());
  if (!found) throw new Error(`no live ${name} window`);
  return found.window;
};

function menuEntries(items: typeof world.appMenu, path = ''): NonNullable<AppState['appMenu']> {
  return (items ?? []).flatMap((item) => {
    const here = `${path}/${item.label ?? item.role ?? item.type ?? '?'}`;
    return [{ label: item.label ?? null, role: item.role ?? null, accelerator: item.accelerator ?? null, path: here }, ...menuEntries(item.submenu ?? [], here)];
  });
}

function findItem(items: typeof world.appMenu, label: string): { click?: (...args: unknown[]) => void } | null {
  for (const item of items ?? []) {
    if (item.label === label) return item;
    const inner = findItem(item.submenu ?? [], label);
    if (inner) return inner;
  }
  return null;
}

function snapshot(): AppState {
  const windows: WindowState[] = seen.map(({ window, events }) => ({
    route: routeOf(window),
    visible: window.isVisible(),
    minimized: window.isMinimized(),
    destroyed: window.isDestroyed(),
    type: (window.options.type as string | undefined) ?? null,
    skipTaskbar: window.options.skipTaskbar === true,
    alwaysOnTop: window.alwaysOnTop,
    allWorkspacesCalls: window.allWorkspacesCalls,
    loads: window.webContents.loads,
    prefs: { ...window.webContents.prefs, preload: window.webContents.prefs.preload ? basename(String(window.webContents.prefs.preload)) : null },
    exposedKeys: [...(window.webContents.renderer?.exposed.keys() ?? [])],
    evalAttempts: window.webContents.renderer?.evalAttempts ?? [],
    events,
  }));
  return {
    platform: world.platform,
    identity: { name: app.getName(), desktopName: launch.desktopName, userData: app.getPath('userData'), packaged: app.isPackaged },
    testProbe: '__softphoneTest' in globalThis,
    lifecycle: [...world.lifecycle],
    errors: [...world.errors],
    logs: world.logs.slice(-40),
    windows,
    trays: world.trays.map((t) => ({ destroyed: t.destroyed, image: { ...t.image, file: basename(t.image.path) }, tooltip: t.tooltip, menu: t.menu.map((i) => i.label ?? i.type ?? '') })),
    notifications: world.notifications.map((n) => ({
      title: String(n.options.title ?? ''),
      body: String(n.options.body ?? ''),
      shown: n.shown,
      closed: n.closed,
      actions: n.options.actions ?? null,
      toastXml: (n.options.toastXml as string | undefined) ?? null,
      urgency: n.options.urgency ?? null,
    })),
    badgeCalls: [...world.badgeCalls],
    badgeCount: world.badgeCount,
    dockHidden: world.dockHidden,
    appUserModelId: world.appUserModelId,
    appMenu: world.appMenu ? menuEntries(world.appMenu) : null,
    ipcChannels: electron.ipcMain.channels(),
    pendingDialogs: world.dialogs.length,
    dialogs: world.dialogLog.map((d) => ({ message: d.message, buttons: d.buttons })),
    protocolClients: Object.fromEntries(world.protocolClients),
    handledSchemes: [...world.handledSchemes],
    privilegedSchemes: [...world.privilegedSchemes],
    sandboxEnabled: world.sandboxEnabled,
    switches: Object.fromEntries(app.commandLine.switches),
    shutDown: app.hasShutDown,
  };
}

/** Runs `task` as a native task (a click, an OS event): see electron-model/native-task.ts. */
const native = (task: () => unknown) => new Promise<void>((resolve, reject) => setImmediate(() => Promise.resolve().then(task).then(() => resolve(), reject)));

async function run(command: BootCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'state':
      return snapshot();
    case 'invoke':
      return windowNamed(command.window).webContents.renderer?.callExposed('softphone', 'invoke', [command.name, command.request]);
    case 'exposed': {
      const renderer = windowNamed(command.window).webContents.renderer;
      const api = renderer?.exposed.get('softphone');
      return { keys: [...(renderer?.exposed.keys() ?? [])], api: api ? Object.keys(api).sort() : [], frozen: api ? Object.isFrozen(api) : false };
    }
    case 'tray-menu': {
      const tray = world.trays.find((t) => !t.destroyed);
      const item = findItem(tray?.menu ?? [], command.label);
      if (!item?.click) throw new Error(`no tray menu item "${command.label}"`);
      return native(() => item.click!({}, undefined, {}));
    }
    case 'app-menu': {
      const item = findItem(world.appMenu, command.label);
      if (!item?.click) throw new Error(`no application menu item "${command.label}"`);
      return native(() => item.click!({}, undefined, {}));
    }
    case 'notification': {
      const notification = world.notifications[command.index];
      if (!notification) throw new Error(`no notification #${command.index}`);
      if (command.action === 'click') return native(() => notification.emit('click', { preventDefault() {} }));
      // NotificationPresenter: 'action' carries details.actionIndex (the positional index is deprecated in 41).
      if (world.platform !== 'darwin') throw new Error('Notification action buttons exist on macOS only (unpackaged Windows apps get no action events)');
      return native(() => notification.emit('action', { actionIndex: command.actionIndex, selectionIndex: -1, preventDefault() {} }, command.actionIndex, -1));
    }
    case 'second-instance':
      return native(() => app.emit('second-instance', { preventDefault() {} }, command.argv, process.cwd(), {}));
    case 'open-url':
      return native(() => app.emit('open-url', { preventDefault() {} }, command.url));
    case 'dialog': {
      const dialog = world.dialogs.shift();
      if (!dialog) throw new Error('no dialog is open');
      return native(() => dialog.answer(command.response));
    }
    case 'native-quit':
      return app.quitFromNative();
    case 'close-window': {
      const window = windowNamed(command.window);
      return native(() => window.close());
    }
    case 'session-end':
      if (world.platform !== 'win32') throw new Error('session-end events exist on Windows only');
      for (const window of world.windows.all()) await window.endSession(command.kind, ['logoff']);
      return undefined;
    case 'crash':
      return windowNamed(command.window).webContents.crash();
    case 'power':
      return native(() => emitPower(command.event));
  }
}

process.on('message', (message: { id: number; command: BootCommand }) => {
  run(message.command).then(
    (value) => send({ type: 'reply', id: message.id, ok: true, value: value === undefined ? null : value }),
    (error: unknown) => send({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});

// The app's process ends when the model's message loop quits: report the final state, then exit.
control.onProcessEnd = (code: number) => {
  send({ type: 'exited', code, state: snapshot() });
  setImmediate(() => process.exit(code));
};

// `electron <app folder> ...` in development (argv[1] is the app folder), the executable alone when packaged.
process.argv = [...launch.argv];
await import(pathToFileURL(mainBundle).href);
await app.finishLaunching();
send({ type: 'booted' });
