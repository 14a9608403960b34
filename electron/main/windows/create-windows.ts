import type { BrowserWindow } from 'electron';
import { ROUTES } from '../../../shared/bridge';
import { routeUrl } from '../config';
import { createSecureWindow } from './secure-window';
import { INCOMING_WINDOW_SIZE } from './placement';

export interface WindowOptions {
  rendererBase: string;
  preload: string;
  icon?: string;
  /** True once the user chose to quit: closing then really closes. */
  isQuitting: () => boolean;
}

/** Closing a window hides it: the app stays online in the tray. */
function hideInsteadOfClose(window: BrowserWindow, isQuitting: () => boolean): void {
  window.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
}

export function createMainWindow(options: WindowOptions & { show: boolean }): BrowserWindow {
  const window = createSecureWindow(
    {
      width: 1040,
      height: 720,
      minWidth: 720,
      minHeight: 520,
      show: false,
      backgroundColor: '#101418',
      ...(options.icon ? { icon: options.icon } : {}),
    },
    options.preload,
  );
  hideInsteadOfClose(window, options.isQuitting);
  if (options.show) window.once('ready-to-show', () => window.show());
  void window.loadURL(routeUrl(options.rendererBase, ROUTES.main));
  return window;
}

/** Created hidden at start-up and kept loaded, so an incoming call shows it at once. */
export function createIncomingWindow(options: WindowOptions): BrowserWindow {
  const window = createSecureWindow(
    {
      ...INCOMING_WINDOW_SIZE,
      show: false,
      frame: false,
      resizable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      backgroundColor: '#101418',
      title: 'Incoming call',
    },
    options.preload,
  );
  window.setAlwaysOnTop(true, 'pop-up-menu');
  window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
  hideInsteadOfClose(window, options.isQuitting);
  void window.loadURL(routeUrl(options.rendererBase, ROUTES.incoming));
  return window;
}
