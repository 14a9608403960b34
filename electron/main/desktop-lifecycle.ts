import { app, dialog, globalShortcut, net, powerMonitor, type BrowserWindow, type Tray } from 'electron';
import { networkInterfaces } from 'node:os';
import type { HostCore } from '../../shared/host';
import type { Logger } from '../../shared/phone';
import { watchConnectivity } from './connectivity';
import { QuitController } from './lifecycle';

export interface LifecycleDeps {
  core: HostCore;
  logger: Logger;
  mainWindow: BrowserWindow;
  tray: Tray;
  showMain: () => void;
}

/**
 * Quit, wake, network and session end. Quit happens only from the tray, the menu (Cmd+Q) or the
 * OS, and is decided in QuitController; closing windows never quits (the phone stays online).
 */
export function wireLifecycle({ core, logger, mainWindow, tray, showMain }: LifecycleDeps): QuitController {
  const quit = new QuitController({
    hasActiveCall: () => core.hasActiveCall(),
    confirm: async () => {
      const strings = core.strings;
      const { response } = await dialog.showMessageBox({
        type: 'question',
        buttons: [strings.quitConfirm, strings.cancel],
        defaultId: 1,
        cancelId: 1,
        message: strings.quitDuringCallTitle,
        detail: strings.quitDuringCallDetail,
      });
      return response === 0;
    },
    quit: () => app.quit(),
    defer: (run) => void setImmediate(run),
    hangUp: () => core.stop(),
    finish: () => {
      globalShortcut.unregisterAll();
      if (!tray.isDestroyed()) tray.destroy();
    },
  });
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
  app.on('will-quit', (event) => quit.onWillQuit(event));
  // Stay online in the tray: with a listener here Electron does not quit when the last window closes.
  app.on('window-all-closed', () => undefined);
  app.on('activate', showMain);

  // Sleep, wake and network: re-check the connection at once.
  const check = (why: string) => {
    logger.info(`connection check: ${why}`);
    void core.checkConnection();
  };
  powerMonitor.on('resume', () => check('resume'));
  powerMonitor.on('unlock-screen', () => check('unlock-screen'));
  // Linux and macOS: preventDefault asks the OS to wait while the app hangs up and exits (Electron
  // passes the event although electron.d.ts declares the listener without arguments).
  const onShutdown = (event: { preventDefault(): void }) => {
    event.preventDefault();
    quit.request('os');
  };
  powerMonitor.on('shutdown', onShutdown as unknown as () => void);
  watchConnectivity({
    isOnline: () => net.isOnline(),
    addresses: () => Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => !a.internal).map((a) => a.address)),
    onChange: check,
    setInterval: (run, ms) => setInterval(run, ms),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  });

  // Windows shutdown and log-off emit neither before-quit nor powerMonitor 'shutdown'. The window
  // gets query-session-end (the session may still be cancelled by another app): hang up now,
  // while Windows waits for the answer; then session-end (it will end): quit without asking.
  mainWindow.on('query-session-end', (event) => {
    logger.info('session ending: hanging up', { reasons: event.reasons });
    hangUpCalls(core, logger);
  });
  mainWindow.on('session-end', () => quit.request('os'));
  return quit;
}

/** Ends every call that is up or being set up (a call still ringing here is left to ring out). */
function hangUpCalls(core: HostCore, logger: Logger): void {
  for (const call of core.snapshot()?.calls ?? []) {
    if (call.phase === 'incoming' || call.phase === 'ended') continue;
    void core
      .requirePhone()
      .end(call.callId)
      .catch((error: unknown) => logger.warn('hang-up at session end failed', { callId: call.callId, error: String(error) }));
  }
}
