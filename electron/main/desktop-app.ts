import { Menu, app, clipboard, desktopCapturer, globalShortcut, net, powerSaveBlocker, safeStorage } from 'electron';
import log from 'electron-log/node';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { HostCore, findDeepLinkArg, httpOverFetch, phoneCoreFactory, type FetchLike, type HostPorts } from '../../shared/host';
import type { HostInfo } from '../../shared/bridge';
import { appMenuTemplate } from './app-menu';
import { selfLaunch, type LaunchConfig } from './config';
import { createDesktopSurfaces } from './desktop-surfaces';
import { wireLifecycle } from './desktop-lifecycle';
import { attachHostToIpc, createSenderCheck } from './ipc';
import { electronIpcMain } from './ipc/electron-ipc';
import { probeLinuxTrayHost } from './linux-tray-host';
import { RecentLines, fileLog, loggerOver } from './logging';
import { deviceIdStore, historyCacheStore, jsonFileStore, sessionStore, settingsStore } from './persistence';
import { PowerSaveController } from './power-save';
import type { SessionTraits } from './session-traits';
import { NotificationActionTokens } from './surfaces/notification-actions';
import { systemIntegration } from './system-integration';
import { testProbe } from './test-probe';
import { startUpdater, updateFeed } from './updater';
import { createIncomingWindow, createMainWindow } from './windows/create-windows';

export interface DesktopPaths {
  preload: string;
  trayIcons: string;
  appIcon: string;
}

/** The composition root: the shared host core with Electron's ports. Everything here is a direct OS call. */
export async function startDesktopApp(config: LaunchConfig, traits: SessionTraits, paths: DesktopPaths): Promise<{ openLink(link: string): void; showMain(): void }> {
  const recent = new RecentLines();
  const logger = loggerOver(fileLog(app.getPath('logs'), app.getName(), log), recent);
  const probe = config.testMode ? testProbe() : null;
  const kv = jsonFileStore(app.getPath('userData'));
  const platform = process.platform;
  const launch = selfLaunch(app.isPackaged, process.execPath, app.getAppPath());

  // Linux: hide to the tray only where the desktop shows one; elsewhere a closed window is minimized.
  let trayShown = platform !== 'linux';
  if (platform === 'linux') void probeLinuxTrayHost().then((shown) => (trayShown = shown));

  let isQuitting = () => false;
  const windowOptions = { rendererBase: config.rendererBase, preload: paths.preload, icon: paths.appIcon, platform, traits, devTools: !app.isPackaged, isQuitting: () => isQuitting(), log: logger };
  const mainWindow = createMainWindow({ ...windowOptions, show: !config.startHidden, closeAction: () => (trayShown ? 'hide' : 'minimize') });
  const incomingWindow = createIncomingWindow(windowOptions);
  const ownWindows = () => [mainWindow, incomingWindow].filter((w) => !w.isDestroyed());
  const showMain = () => {
    if (mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  let requestQuit = (): void => undefined;
  const surfaces = createDesktopSurfaces({ core: () => core, logger, probe, traits, mainWindow, incomingWindow, trayIcons: paths.trayIcons, showMain, quit: () => requestQuit() });
  const power = new PowerSaveController(powerSaveBlocker);

  const info: HostInfo = {
    kind: 'electron',
    platform,
    version: app.getVersion(),
    capabilities: { incomingWindow: true, screenSources: true, globalShortcuts: true, startAtLogin: true, deepLinkHandlers: true, clipboard: true },
  };
  const ports: HostPorts = {
    info,
    http: httpOverFetch(net.fetch as unknown as FetchLike),
    createPhone: phoneCoreFactory({ deviceIds: deviceIdStore(kv), logger }),
    settings: settingsStore(kv),
    session: sessionStore(kv, safeStorage, (message) => logger.warn(message)),
    historyCache: historyCacheStore(kv),
    ringSurfaces: [surfaces.incoming, surfaces.notification, surfaces.traySurface],
    log: logger,
    status: (view) => surfaces.traySurface.update(view),
    missed: { notify: (items) => surfaces.missed.notify(items), badge: (count) => (count === 0 ? surfaces.missed.clear() : undefined) },
    power: (mode) => power.apply(mode),
    presentMain: showMain,
    applySystemSettings: systemIntegration({
      platform,
      launch,
      setLoginItem: (openAtLogin, args) => app.setLoginItemSettings({ openAtLogin, path: launch.exe, args }),
      setLinuxAutostart: (entry) => {
        // XDG autostart: $XDG_CONFIG_HOME/autostart, which is Electron's appData folder on Linux.
        const dir = join(app.getPath('appData'), 'autostart');
        const file = join(dir, 'softphone.desktop');
        if (entry) {
          mkdirSync(dir, { recursive: true });
          writeFileSync(file, entry);
        } else rmSync(file, { force: true });
      },
      register: (accelerator, run) => globalShortcut.register(accelerator, run),
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
      setProtocolClient: (scheme, on) => setProtocolClient(scheme, on, launch),
      runShortcut: (action) => void core.runShortcut(action).catch((error: unknown) => logger.warn('shortcut failed', { action, error: String(error) })),
    }),
    screenSources: async (types) => {
      const sources = await desktopCapturer.getSources({ types, thumbnailSize: { width: 320, height: 180 } });
      return sources.map((source) => ({
        id: source.id,
        name: source.name,
        kind: source.id.startsWith('screen:') ? ('screen' as const) : ('window' as const),
        thumbnail: source.thumbnail.isEmpty() ? null : source.thumbnail.toDataURL(),
      }));
    },
    clipboard: (text) => clipboard.writeText(text),
    recentLogLines: () => recent.all(),
    systemLanguage: () => app.getPreferredSystemLanguages()[0] ?? app.getLocale(),
  };
  const core = new HostCore(ports);
  if (probe) probe.core = core;

  attachHostToIpc({
    ipc: electronIpcMain,
    core,
    isTrustedSender: createSenderCheck(() => ownWindows().map((w) => w.webContents), config.rendererOrigin),
    targets: () => ownWindows().map((w) => w.webContents),
    log: logger,
  });

  const quit = wireLifecycle({ core, logger, mainWindow, tray: surfaces.tray, showMain });
  isQuitting = () => quit.isQuitting;
  requestQuit = () => quit.request('tray');

  setProtocolClient('softphone', true, launch);
  await core.start();
  if (config.serverUrl && config.serverUrl !== core.settings.serverUrl) await core.updateSettings({ serverUrl: config.serverUrl });

  // The application menu (replaces Electron's default one with its Reload); rebuilt when the language changes.
  const setMenu = () => Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, core.strings, app.isPackaged, { open: showMain, quit: () => quit.request('menu') })));
  setMenu();
  core.events.addSink((message) => message.name === 'settings.changed' && setMenu());

  if (!config.testMode && app.isPackaged) startUpdater(updateFeed(config.updateUrl, existsSync(join(process.resourcesPath, 'app-update.yml'))), logger);

  function openLink(link: string): void {
    if (NotificationActionTokens.isNotificationLink(link)) {
      const redeemed = surfaces.tokens.redeem(link);
      if (!redeemed) return logger.warn('ignored a notification link without a valid token');
      if (redeemed.action === 'answer') surfaces.answer(redeemed.callId);
      else if (redeemed.action === 'decline') surfaces.decline(redeemed.callId);
      else surfaces.incoming.bringForward();
      return;
    }
    core.handleDeepLink(link);
  }

  const initialLink = findDeepLinkArg(process.argv);
  if (initialLink) openLink(initialLink);
  return { openLink, showMain };
}

/**
 * Registers (or removes) the app as the handler of a URL scheme. Packaged builds register the
 * installed executable. An unpackaged build registers only on Windows, where the OS runs the
 * stored command line (the Electron binary plus the app folder as an absolute path); on macOS the
 * handler would be the shared Electron.app, and on Linux registration goes through the app's
 * .desktop file, which only an installed build has.
 * electronegativity asks for a review of protocol handlers: every link is parsed and validated
 * (shared/host/deep-link.ts), never dials without a prompt, and notification links need a
 * one-time token (surfaces/notification-actions.ts).
 */
function setProtocolClient(scheme: string, on: boolean, launch: { exe: string; args: string[] }): boolean {
  if (!app.isPackaged && process.platform !== 'win32') return false;
  return on
    ? app.setAsDefaultProtocolClient(scheme, launch.exe, launch.args) // eng-disable PROTOCOL_HANDLER_JS_CHECK
    : app.removeAsDefaultProtocolClient(scheme, launch.exe, launch.args);
}
