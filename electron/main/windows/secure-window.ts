import { BrowserWindow, type BrowserWindowConstructorOptions } from 'electron';

export type WindowOptions = Omit<BrowserWindowConstructorOptions, 'webPreferences'>;

/**
 * The one place a BrowserWindow is created. Its web preferences are Electron's security
 * checklist, written out here (not built elsewhere) and applied last so nothing overrides them:
 * context isolation, sandbox, no Node, web security, no webviews, no middle-click windows, and
 * developer tools only in an unpackaged build.
 */
export function createSecureWindow(options: WindowOptions, preload: string, devTools: boolean): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      // Reviewed (electronegativity PRELOAD_JS_CHECK): the preload is our own bundled script and exposes only
      // window.softphone, built from the bridge contract with contextBridge; it exposes no Node or Electron API.
      preload, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools,
      disableBlinkFeatures: 'Auxclick',
      // A phone must react at once while hidden in the tray (signals, the incoming window's first frame, the ringtone).
      backgroundThrottling: false,
    },
  });
}
