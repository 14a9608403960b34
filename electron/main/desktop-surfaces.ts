import { Menu, Notification, Tray, app, nativeImage, screen, type BrowserWindow, type NotificationConstructorOptions } from 'electron';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { HostCore } from '../../shared/host';
import type { Logger } from '../../shared/phone';
import type { SessionTraits } from './session-traits';
import { MissedCallNotifier } from './surfaces/missed-notifier';
import { NotificationActionTokens } from './surfaces/notification-actions';
import { NotificationSurface } from './surfaces/notification-surface';
import { TraySurface, type TrayCommand, type TrayIconName } from './surfaces/tray-surface';
import type { TestProbe } from './test-probe';
import { IncomingWindowSurface } from './windows/incoming-window';

export interface SurfaceDeps {
  core: () => HostCore;
  logger: Logger;
  probe: TestProbe | null;
  traits: SessionTraits;
  mainWindow: BrowserWindow;
  incomingWindow: BrowserWindow;
  trayIcons: string;
  showMain: () => void;
  quit: () => void;
}

/**
 * The tray icon file for a state. macOS gets template images (black + alpha, `...Template.png`):
 * the menu bar tints them for light and dark appearance, which a coloured icon cannot follow.
 */
export function trayIconFile(dir: string, name: TrayIconName, platform: string): string {
  return join(dir, platform === 'darwin' ? `tray-${name}Template.png` : `tray-${name}.png`);
}

/** The desktop's ring surfaces (incoming window, notification, tray and badge) and the missed-call notifications. */
export function createDesktopSurfaces(d: SurfaceDeps) {
  const { logger, probe } = d;
  const platform = process.platform;
  const tokens = new NotificationActionTokens(() => randomBytes(24).toString('base64url'));
  const incoming = new IncomingWindowSurface({
    window: () => d.incomingWindow,
    primaryWorkArea: () => screen.getPrimaryDisplay().workArea,
    platform,
    pops: d.traits.incomingWindowPops,
    now: () => performance.now(),
    onShown: (callId, ms) => {
      logger.info('incoming-call window shown', { callId, ms: Math.round(ms * 10) / 10 });
      probe?.incomingShown.push(ms);
    },
  });
  const answer = (callId: string) => void d.core().answer(callId, false).catch((error: unknown) => logger.warn('answer failed', { error: String(error) }));
  const decline = (callId: string) => void d.core().requirePhone().decline(callId).catch((error: unknown) => logger.warn('decline failed', { error: String(error) }));
  const createNotification = (options: NotificationConstructorOptions) => {
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
  const notification = new NotificationSurface({
    create: createNotification,
    isSupported: () => Notification.isSupported(),
    strings: () => d.core().strings,
    platform,
    tokens,
    onClick: () => incoming.bringForward(),
    onAnswer: answer,
    onDecline: decline,
  });

  const trayImage = (name: TrayIconName) => {
    const image = nativeImage.createFromPath(trayIconFile(d.trayIcons, name, platform));
    if (platform === 'darwin') image.setTemplateImage(true);
    return image;
  };
  const tray = new Tray(trayImage('offline'));
  const runTray = (command: TrayCommand) => {
    if (typeof command === 'object') void d.core().runAgentCommand(command).catch((error: unknown) => logger.warn('agent status change failed', { error: String(error) }));
    else if (command === 'open') d.showMain();
    else if (command === 'toggle-dnd') void d.core().toggleDnd().catch((error: unknown) => logger.warn('DND toggle failed', { error: String(error) }));
    else d.quit();
  };
  tray.on('click', d.showMain);
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
      if (!d.mainWindow.isDestroyed()) d.mainWindow.flashFrame(on);
    },
    strings: () => d.core().strings,
    dndOn: () => d.core().dndOn(),
    run: runTray,
  });
  const missed = new MissedCallNotifier({ create: createNotification, isSupported: () => Notification.isSupported(), onClick: d.showMain });
  return { incoming, notification, traySurface, tray, missed, tokens, answer, decline };
}
