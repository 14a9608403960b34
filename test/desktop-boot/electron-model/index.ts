/**
 * A behavioural model of Electron 41's main-process API: what `import ... from 'electron'` gives
 * the app's built main bundle in the desktop boot test (test/desktop-boot). It stands in ONLY for
 * the Electron binary, which cannot be downloaded on these machines: the bundles, the host core,
 * PhoneCore and the signalling service all run for real. Each behaviour it copies names the
 * Electron source it comes from (app.ts: browser.cc; window.ts: native_window.cc, window_list.cc;
 * renderer-world.ts: the sandboxed preload; native-task.ts: when microtasks run).
 *
 * The platform is process.platform, which the boot driver sets to linux, darwin or win32 before
 * anything loads; the machine underneath is always this Linux box.
 */
import { join } from 'node:path';
import { AppModel } from './app';
import { IpcMainModel } from './ipc-main';
import { resolveLaunch } from './launch';
import { MenuModel, NotificationModel, TrayModel, powerMonitor, shellApis } from './shell-apis';
import { BrowserWindowModel } from './window';
import { World, WindowList } from './world';

const platform = process.platform as World['platform'];
const home = process.env.BOOT_HOME;
const appFolder = process.env.BOOT_APP_PATH;
if (!home || !appFolder) throw new Error('the Electron model needs BOOT_HOME and BOOT_APP_PATH (set by test/desktop-boot/boot-harness.ts)');
/** What Electron runs and what it calls the app: `electron <BOOT_LAUNCH> <BOOT_ARGS>`, or the packaged app with BOOT_PACKAGED=1. */
export const launch = resolveLaunch({
  packaged: process.env.BOOT_PACKAGED === '1',
  appFolder,
  launchArgs: JSON.parse(process.env.BOOT_LAUNCH ?? '[]') as string[],
  userArgs: JSON.parse(process.env.BOOT_ARGS ?? '[]') as string[],
  execPath: process.execPath,
});
const productName = launch.name;
const appData = join(home, platform === 'darwin' ? 'Library/Application Support' : platform === 'win32' ? 'AppData/Roaming' : '.config');

/** The hooks the driver sets: what happens when the app's process ends. */
export const control: { onProcessEnd: (code: number) => void } = { onProcessEnd: (code) => process.exit(code) };

const windows = new WindowList(platform);
export const world = new World(
  platform,
  {
    home,
    appData,
    userData: join(appData, productName),
    logs: platform === 'darwin' ? join(home, 'Library/Logs', productName) : join(appData, productName, 'logs'),
    temp: join(home, 'tmp'),
    exe: process.execPath,
    desktop: join(home, 'Desktop'),
  },
  launch,
  windows,
  () => control.onProcessEnd(world.exitCode),
);
export const app = new AppModel(world);
world.app = app;

const contentsById = (id: number) => windows.all().find((w) => w.webContents.id === id)?.webContents ?? null;
export const ipcMain = new IpcMainModel(contentsById);

export class BrowserWindow extends BrowserWindowModel {
  constructor(options: Record<string, unknown> = {}) {
    super(world, ipcMain, options);
  }
  static getAllWindows(): BrowserWindowModel[] {
    return windows.all();
  }
}

const apis = shellApis(world);
export { MenuModel as Menu, NotificationModel as Notification, TrayModel as Tray, powerMonitor };
export const { nativeImage, dialog, screen, powerSaveBlocker, globalShortcut, net, safeStorage, session, protocol, shell, clipboard, desktopCapturer, emitPower } = apis;

// Electron's own process fields in the main process (default_app sets defaultApp on an unpackaged run).
Object.assign(process, { type: 'browser', resourcesPath: join(home, 'electron-dist', 'resources'), ...(launch.packaged ? {} : { defaultApp: true }) });
Object.assign(process.versions, { electron: '41.7.1' });

export default { app, BrowserWindow, ipcMain, Notification: NotificationModel, Menu: MenuModel, Tray: TrayModel, nativeImage, dialog, screen, powerMonitor, powerSaveBlocker, globalShortcut, net, safeStorage, session, protocol, shell, clipboard, desktopCapturer };
