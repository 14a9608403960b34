import type { BrowserWindow } from 'electron';
import { ROUTES } from '../../../shared/bridge';
import { routeUrl } from '../config';
import type { SessionTraits } from '../session-traits';
import { reloadAfterCrash, type CrashLog } from './crash-recovery';
import { INCOMING_WINDOW_SIZE } from './placement';
import { createSecureWindow } from './secure-window';

/** What closing the main window does while the app keeps running: hide it (to the tray), or minimize it where there is no tray. */
export type CloseAction = 'hide' | 'minimize';

export interface WindowOptions {
  rendererBase: string;
  preload: string;
  icon?: string;
  platform: string;
  traits: SessionTraits;
  /** Developer tools: unpackaged builds only. */
  devTools: boolean;
  /** True once the user chose to quit: closing then really closes. */
  isQuitting: () => boolean;
  log: CrashLog;
}

/** Closing a window keeps the app running: the phone must stay reachable. */
function keepRunningOnClose(window: BrowserWindow, isQuitting: () => boolean, action: () => CloseAction): void {
  window.on('close', (event) => {
    if (isQuitting()) return;
    event.preventDefault();
    if (action() === 'minimize') window.minimize();
    else window.hide();
  });
}

export function createMainWindow(options: WindowOptions & { show: boolean; closeAction: () => CloseAction }): BrowserWindow {
  const window = createSecureWindow(
    {
      width: 1040,
      height: 720,
      minWidth: 720,
      minHeight: 520,
      show: false,
      backgroundColor: '#101418',
      // Windows and Linux: the application menu (Quit, Edit) appears with Alt.
      autoHideMenuBar: true,
      ...(options.icon ? { icon: options.icon } : {}),
    },
    options.preload,
    options.devTools,
  );
  keepRunningOnClose(window, options.isQuitting, options.closeAction);
  if (options.show) window.once('ready-to-show', () => window.show());
  const url = routeUrl(options.rendererBase, ROUTES.main);
  reloadAfterCrash(window, url, 'main', options.log);
  void window.loadURL(url);
  return window;
}

/**
 * Created hidden at start-up and kept loaded, so an incoming call shows it at once. On macOS it
 * is a panel: an NSPanel may float over full-screen apps without turning the whole app into a
 * UIElement process (setVisibleOnAllWorkspaces with visibleOnFullScreen alone calls
 * Browser::DockHide(): no Dock icon, no Cmd-Tab entry, no menu bar, for the whole session;
 * native_window_mac.mm SetVisibleOnAllWorkspaces). Hence skipTransformProcessType. The call is
 * made only where it does something: macOS and Linux on X11 (Windows has no such API; Wayland
 * ignores it).
 */
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
      ...(options.platform === 'darwin' ? { type: 'panel' } : {}),
    },
    options.preload,
    options.devTools,
  );
  window.setAlwaysOnTop(true, 'pop-up-menu');
  if (options.traits.allWorkspaces) {
    window.setVisibleOnAllWorkspaces(true, options.platform === 'darwin' ? { visibleOnFullScreen: true, skipTransformProcessType: true } : undefined);
  }
  keepRunningOnClose(window, options.isQuitting, () => 'hide');
  const url = routeUrl(options.rendererBase, ROUTES.incoming);
  reloadAfterCrash(window, url, 'incoming', options.log);
  void window.loadURL(url);
  return window;
}
