import { Menu, Notification, Tray, app, clipboard, desktopCapturer, dialog, globalShortcut, nativeImage, net, powerMonitor, powerSaveBlocker, safeStorage, screen } from 'electron';
import log from 'electron-log/main';
import Store from 'electron-store';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, homedir } from 'node:os';
import { join } from 'node:path';
import { HostCore, findDeepLinkArg, httpOverFetch, phoneCoreFactory, type FetchLike, type HostPorts } from '../../shared/host';
import type { HostInfo } from '../../shared/bridge';
import type { LaunchConfig } from './config';
import { watchConnectivity } from './connectivity';
import { attachHostToIpc, createSenderCheck } from './ipc';
import { electronIpcMain } from './ipc/electron-ipc';
import { quitDecision, type QuitSource } from './lifecycle';
import { RecentLines, loggerOver } from './logging';
import { deviceIdStore, historyCacheStore, sessionStore, settingsStore, type KeyValueStore } from './persistence';
import { PowerSaveController } from './power-save';
import { MissedCallNotifier } from './surfaces/missed-notifier';
import { NotificationActionTokens } from './surfaces/notification-actions';
import { NotificationSurface } from './surfaces/notification-surface';
import { TraySurface, type TrayCommand, type TrayIconName } from './surfaces/tray-surface';
import { systemIntegration } from './system-integration';
import { startUpdater } from './updater';
import { createIncomingWindow, createMainWindow } from './windows/create-windows';
import { IncomingWindowSurface } from './windows/incoming-window';
import { testProbe } from './test-probe';

export interface DesktopPaths {
  preload: string;
  trayIcons: string;
  appIcon: string;
}

/** The composition root: the shared host core with Electron's ports. Everything here is a direct OS call. */
export async function startDesktopApp(config: LaunchConfig, paths: DesktopPaths): Promise<{ openLink(link: string): void; showMain(): void }> {
  const recent = new RecentLines();
  // No renderer preload from electron-log: window.softphone must stay the only thing exposed to pages.
  log.initialize({ preload: false });
  const logger = loggerOver(log, recent);
  const probe = config.testMode ? testProbe() : null;
  const kv = new Store({ name: 'softphone' }) as unknown as KeyValueStore;

  let quitting = false;
  const windowOptions = { rendererBase: config.rendererBase, preload: paths.preload, icon: paths.appIcon, isQuitting: () => quitting };
  const mainWindow = createMainWindow({ ...windowOptions, show: !config.startHidden });
  const incomingWindow = createIncomingWindow(windowOptions);
  const ownWindows = () => [mainWindow, incomingWindow].filter((w) => !w.isDestroyed());
  const showMain = () => {
    if (mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  // Ring surfaces. The core is created below; the surfaces reach it only when they are used.
  const tokens = new NotificationActionTokens(() => randomBytes(24).toString('base64url'));
  const incomingSurface = new IncomingWindowSurface({
    window: () => incomingWindow,
    primaryWorkArea: () => screen.getPrimaryDisplay().workArea,
    platform: process.platform,
    now: () => performance.now(),
    onShown: (callId, ms) => {
      logger.info('incoming-call window shown', { callId, ms: Math.round(ms * 10) / 10 });
      probe?.incomingShown.push(ms);
    },
  });
  const answer = (callId: string) => void core.answer(callId, false).catch((error: unknown) => logger.warn('answer failed', { error: String(error) }));
  const decline = (callId: string) => void core.requirePhone().decline(callId).catch((error: unknown) => logger.warn('decline failed', { error: String(error) }));
  const createNotification = (options: Electron.NotificationConstructorOptions) => {
    const notification = new Notification(options);
    if (probe) {
      const record = { title: options.title ?? '', body: options.body ?? '', closed: false };
      probe.notifications.push(record);
      notification.on('close', () => (record.closed = true));
      const close = notification.close.bind(notification);
      notification.close = () => {
        record.closed = true;
        close();
      };
    }
    return notification;
  };
  const notificationSurface = new NotificationSurface({
    create: createNotification,
    isSupported: () => Notification.isSupported(),
    strings: () => core.strings,
    platform: process.platform,
    tokens,
    onClick: () => incomingSurface.bringForward(),
    onAnswer: answer,
    onDecline: decline,
  });
  const tray = new Tray(trayImage('offline'));
  function trayImage(name: TrayIconName) {
    return nativeImage.createFromPath(join(paths.trayIcons, `tray-${name}.png`));
  }
  const runTray = (command: TrayCommand) => {
    if (command === 'open') showMain();
    else if (command === 'toggle-dnd') void core.toggleDnd().catch((error: unknown) => logger.warn('DND toggle failed', { error: String(error) }));
    else requestQuit('tray');
  };
  tray.on('click', showMain);
  const traySurface = new TraySurface({
    setImage: (name) => {
      tray.setImage(trayImage(name));
      if (probe) probe.tray.icon = name;
    },
    setToolTip: (text) => {
      tray.setToolTip(text);
      if (probe) probe.tray.tooltip = text;
    },
    setMenu: (template) => tray.setContextMenu(Menu.buildFromTemplate(template)),
    setBadgeCount: (count) => {
      const supported = app.setBadgeCount(count);
      if (probe) probe.badge = { count, supported };
    },
    flashFrame: (on) => {
      if (!mainWindow.isDestroyed()) mainWindow.flashFrame(on);
    },
    strings: () => core.strings,
    dndOn: () => core.dndOn(),
    run: runTray,
  });
  const missedNotifier = new MissedCallNotifier({ create: createNotification, isSupported: () => Notification.isSupported(), onClick: showMain });
  const power = new PowerSaveController(powerSaveBlocker);

  const info: HostInfo = {
    kind: 'electron',
    platform: process.platform,
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
    ringSurfaces: [incomingSurface, notificationSurface, traySurface],
    log: logger,
    status: (view) => traySurface.update(view),
    missed: { notify: (items) => missedNotifier.notify(items), badge: (count) => (count === 0 ? missedNotifier.clear() : undefined) },
    power: (mode) => power.apply(mode),
    presentMain: showMain,
    applySystemSettings: systemIntegration({
      platform: process.platform,
      execPath: process.execPath,
      setLoginItem: (openAtLogin, args) => app.setLoginItemSettings({ openAtLogin, args }),
      setLinuxAutostart: (entry) => {
        const file = join(homedir(), '.config', 'autostart', 'softphone.desktop');
        if (entry) {
          mkdirSync(join(homedir(), '.config', 'autostart'), { recursive: true });
          writeFileSync(file, entry);
        } else rmSync(file, { force: true });
      },
      register: (accelerator, run) => globalShortcut.register(accelerator, run),
      unregister: (accelerator) => globalShortcut.unregister(accelerator),
      setProtocolClient: (scheme, on) => (on ? registerProtocol(scheme) : app.removeAsDefaultProtocolClient(scheme)),
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

  registerProtocol('softphone');
  await core.start();
  if (config.serverUrl && config.serverUrl !== core.settings.serverUrl) await core.updateSettings({ serverUrl: config.serverUrl });

  // Sleep, wake and network: re-check the connection at once.
  const check = (why: string) => {
    logger.info(`connection check: ${why}`);
    void core.checkConnection();
  };
  powerMonitor.on('resume', () => check('resume'));
  powerMonitor.on('unlock-screen', () => check('unlock-screen'));
  powerMonitor.on('shutdown', () => requestQuit('os'));
  watchConnectivity({
    isOnline: () => net.isOnline(),
    addresses: () => Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => !a.internal).map((a) => a.address)),
    onChange: check,
    setInterval: (run, ms) => setInterval(run, ms),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  });

  // Quit: only from the tray, the menu or the platform shortcut; confirm during a call.
  let confirming = false;
  function requestQuit(source: QuitSource): void {
    if (source === 'os') quitting = true;
    quitSource = source;
    app.quit();
  }
  let quitSource: QuitSource = 'menu';
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    if (quitDecision(quitSource, core.hasActiveCall()) === 'quit') {
      quitting = true;
      app.quit();
      return;
    }
    if (confirming) return;
    confirming = true;
    const strings = core.strings;
    void dialog
      .showMessageBox({ type: 'question', buttons: [strings.quitConfirm, strings.cancel], defaultId: 1, cancelId: 1, message: strings.quitDuringCallTitle, detail: strings.quitDuringCallDetail })
      .then(({ response }) => {
        confirming = false;
        quitSource = 'menu';
        if (response === 0) {
          quitting = true;
          app.quit();
        }
      });
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    globalShortcut.unregisterAll();
    if (stopped) return;
    event.preventDefault();
    void core.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => {
    /* stay online in the tray */
  });
  app.on('activate', showMain);

  if (!config.testMode && app.isPackaged) startUpdater(config.updateUrl, logger);

  function openLink(link: string): void {
    if (NotificationActionTokens.isNotificationLink(link)) {
      const redeemed = tokens.redeem(link);
      if (!redeemed) return logger.warn('ignored a notification link without a valid token');
      if (redeemed.action === 'answer') answer(redeemed.callId);
      else if (redeemed.action === 'decline') decline(redeemed.callId);
      else incomingSurface.bringForward();
      return;
    }
    core.handleDeepLink(link);
  }

  const initialLink = findDeepLinkArg(process.argv);
  if (initialLink) openLink(initialLink);
  return { openLink, showMain };
}

/**
 * Registers a scheme; in development the app is `electron .` and needs its path and script.
 * electronegativity asks for a review of protocol handlers: every link is parsed and validated
 * (shared/host/deep-link.ts), never dials without a prompt, and notification links need a
 * one-time token (surfaces/notification-actions.ts).
 */
function registerProtocol(scheme: string): boolean {
  const devArgs = process.defaultApp && process.argv[1] ? [process.argv[1]] : null;
  return devArgs
    ? app.setAsDefaultProtocolClient(scheme, process.execPath, devArgs) // eng-disable PROTOCOL_HANDLER_JS_CHECK
    : app.setAsDefaultProtocolClient(scheme); // eng-disable PROTOCOL_HANDLER_JS_CHECK
}

