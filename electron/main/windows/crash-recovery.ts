import type { BrowserWindow } from 'electron';

export interface CrashLog {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** At most this many reloads within the window below; a renderer that keeps crashing is left alone (and logged). */
const MAX_RELOADS = 3;
const WINDOW_MS = 60_000;

/**
 * A renderer that crashed or was killed (OOM, GPU reset, killed by the OS) leaves a blank window;
 * for the pre-warmed incoming window that means the next call shows nothing. Reload the page so
 * the window is ready again. 'clean-exit' is a normal shutdown and is left alone.
 */
export function reloadAfterCrash(window: BrowserWindow, url: string, name: string, log: CrashLog, now: () => number = Date.now): void {
  const recent: number[] = [];
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    const at = now();
    while (recent.length && at - recent[0]! > WINDOW_MS) recent.shift();
    if (recent.length >= MAX_RELOADS) {
      log.error(`${name} window renderer keeps crashing; not reloading again`, { reason: details.reason, exitCode: details.exitCode });
      return;
    }
    recent.push(at);
    log.warn(`${name} window renderer gone; reloading`, { reason: details.reason, exitCode: details.exitCode });
    void window.loadURL(url);
  });
}
