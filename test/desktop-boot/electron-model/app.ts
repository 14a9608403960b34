import { EventEmitter } from 'node:events';
import { emitFromNative, emitPreventable, nativeTask } from './native-task';
import type { World } from './world';

type Origin = 'js' | 'native';

/**
 * `app`: the quit state machine of shell/browser/browser.cc (Electron 41), transcribed:
 *
 *   Browser::Quit()               if (is_quitting_) return;
 *                                 is_quitting_ = HandleBeforeQuit();          // emits before-quit
 *                                 if (!is_quitting_) return;
 *                                 WindowList::IsEmpty() ? NotifyAndShutdown() : WindowList::CloseAllWindows();
 *   Browser::Exit(code)           is_quitting_ = is_exiting_ = true; empty ? Shutdown() : DestroyAllWindows()
 *   Browser::NotifyAndShutdown()  if (is_shutdown_) return; emits will-quit;
 *                                 if (prevented) { is_quitting_ = false; return; } Shutdown();
 *   Browser::Shutdown()           is_shutdown_ = is_quitting_ = true; emits quit; quits the message loop (a posted task)
 *   Browser::OnWindowCloseCancelled()  if (is_quitting_) is_quitting_ = false;
 *   Browser::OnWindowAllClosed()  is_exiting_ ? Shutdown() : is_quitting_ ? NotifyAndShutdown() : emits window-all-closed
 *
 * plus when microtasks run (native-task.ts), and the few other app methods main uses.
 */
export class AppModel extends EventEmitter {
  private isQuitting = false;
  private isExiting = false;
  private isShutdown = false;
  private isReadyFlag = false;
  private readyWaiters: (() => void)[] = [];
  readonly commandLine = {
    switches: new Map<string, string>(),
    appendSwitch: (name: string, value = '') => void this.commandLine.switches.set(name, value),
    hasSwitch: (name: string) => this.commandLine.switches.has(name),
    getSwitchValue: (name: string) => this.commandLine.switches.get(name) ?? '',
    appendArgument: () => undefined,
  };
  readonly isPackaged: boolean;
  readonly name: string;

  constructor(private readonly world: World) {
    super();
    this.name = world.launch.name;
    this.isPackaged = world.launch.packaged;
    // Platform-only methods exist only on their platform (electron_api_app.cc binds them under BUILDFLAG(IS_WIN) / IS_MAC).
    if (world.platform === 'win32') Object.assign(this, { setAppUserModelId: (id: string) => void (world.appUserModelId = id) });
    if (world.platform === 'darwin') {
      Object.assign(this, {
        dock: {
          hide: () => void (world.dockHidden = true),
          show: async () => void (world.dockHidden = false),
          isVisible: () => !world.dockHidden,
          setBadge: () => undefined,
        },
      });
    }
  }

  // ---- the quit state machine --------------------------------------------------------------

  quit(): void {
    this.quitPass('js').catch((error: unknown) => this.world.uncaught(error));
  }

  /** Browser::Quit() started by a native task: Dock › Quit, Cmd+Q through role 'quit', logout, SIGTERM. */
  quitFromNative(): Promise<void> {
    return nativeTask(() => this.quitPass('native'));
  }

  private async quitPass(origin: Origin): Promise<void> {
    if (this.isQuitting) return;
    this.world.lifecycle.push('before-quit');
    const prevented = origin === 'native' ? await emitFromNative(this, 'before-quit') : emitPreventable(this, 'before-quit');
    this.isQuitting = !prevented;
    if (!this.isQuitting) return;
    if (this.world.windows.isEmpty()) await this.notifyAndShutdown(origin);
    else this.world.windows.closeAll();
  }

  exit(code = 0): void {
    this.isQuitting = true;
    this.isExiting = true;
    this.world.exitCode = code;
    if (this.world.windows.isEmpty()) this.shutdown();
    else this.world.windows.destroyAll();
  }

  private async notifyAndShutdown(origin: Origin): Promise<void> {
    if (this.isShutdown) return;
    this.world.lifecycle.push('will-quit');
    const prevented = origin === 'native' ? await emitFromNative(this, 'will-quit') : emitPreventable(this, 'will-quit');
    if (prevented) {
      this.isQuitting = false;
      return;
    }
    this.shutdown();
  }

  private shutdown(): void {
    if (this.isShutdown) return;
    this.isShutdown = true;
    this.isQuitting = true;
    this.world.lifecycle.push('quit');
    emitPreventable(this, 'quit', {}, this.world.exitCode);
    // RunQuitClosure: the message loop quits in a posted task; the process ends there.
    setImmediate(() => this.world.onProcessEnd());
  }

  /** WindowList observer: a window's 'close' was prevented. */
  onWindowCloseCancelled(): void {
    if (this.isQuitting) this.isQuitting = false;
  }

  /** WindowList observer: the last window was removed. */
  async onWindowAllClosed(origin: Origin): Promise<void> {
    if (this.isExiting) return this.shutdown();
    if (this.isQuitting) return this.notifyAndShutdown(origin);
    this.world.lifecycle.push('window-all-closed');
    if (origin === 'native') await emitFromNative(this, 'window-all-closed');
    else emitPreventable(this, 'window-all-closed');
  }

  get hasShutDown(): boolean {
    return this.isShutdown;
  }

  // ---- start-up ------------------------------------------------------------------------------

  /** Browser::DidFinishLaunching: ready (a native task after the main script ran). */
  async finishLaunching(): Promise<void> {
    await nativeTask(async () => {
      await emitFromNative(this, 'will-finish-launching');
      this.isReadyFlag = true;
      this.readyWaiters.splice(0).forEach((resolve) => resolve());
      await emitFromNative(this, 'ready', {}, {});
    });
  }

  isReady(): boolean {
    return this.isReadyFlag;
  }

  whenReady(): Promise<void> {
    return this.isReadyFlag ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  enableSandbox(): void {
    if (this.isReadyFlag) throw new Error('app.enableSandbox() can only be called before app is ready');
    this.world.sandboxEnabled = true;
  }

  requestSingleInstanceLock(): boolean {
    return true;
  }

  // ---- paths, identity, OS integration -----------------------------------------------------

  getPath(name: string): string {
    const path = this.world.paths[name];
    if (!path) throw new Error(`Failed to get '${name}' path`);
    return path;
  }

  setPath(name: string, path: string): void {
    this.world.paths[name] = path;
  }

  getAppPath(): string {
    return this.world.launch.appPath;
  }

  getVersion(): string {
    return this.world.launch.version;
  }

  getName(): string {
    return this.name;
  }

  getLocale(): string {
    return 'en-US';
  }

  getPreferredSystemLanguages(): string[] {
    return ['en-US'];
  }

  /** Browser::SetBadgeCount: macOS Dock text and Windows taskbar overlay return true; Linux only under Unity (not here). */
  setBadgeCount(count = 0): boolean {
    this.world.badgeCalls.push(count);
    if (this.world.platform === 'linux') return false;
    this.world.badgeCount = count;
    return true;
  }

  getBadgeCount(): number {
    return this.world.badgeCount;
  }

  setLoginItemSettings(settings: { openAtLogin?: boolean; path?: string; args?: string[] }): void {
    this.world.loginItem = settings;
  }

  setAsDefaultProtocolClient(scheme: string, path?: string, args?: string[]): boolean {
    this.world.protocolClients.set(scheme, { path: path ?? process.execPath, args: args ?? [] });
    return true;
  }

  removeAsDefaultProtocolClient(scheme: string): boolean {
    return this.world.protocolClients.delete(scheme);
  }

  setAppLogsPath(): void {}
}
