import { EventEmitter } from 'node:events';
import type { IpcMainModel } from './ipc-main';
import { emitFromNative, emitPreventable, nativeTask } from './native-task';
import { RendererWorld } from './renderer-world';
import type { World } from './world';

interface WebPreferences {
  preload?: string;
  contextIsolation?: boolean;
  sandbox?: boolean;
  nodeIntegration?: boolean;
  devTools?: boolean;
  [key: string]: unknown;
}

let nextContentsId = 1;

/** webContents: loads a URL into a fresh renderer (the preload runs in it), sends IPC, can crash. */
export class WebContentsModel extends EventEmitter {
  readonly id = nextContentsId++;
  private url = '';
  private destroyed = false;
  renderer: RendererWorld | null = null;
  windowOpenHandler: ((details: { url: string }) => unknown) | null = null;
  loads = 0;

  constructor(
    private readonly world: World,
    private readonly ipc: IpcMainModel,
    readonly prefs: WebPreferences,
  ) {
    super();
  }

  getURL(): string {
    return this.url;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    this.windowOpenHandler = handler;
  }

  /** Navigation starts a new renderer document: the preload runs again, in a new world, in a later task. */
  loadURL(url: string): Promise<void> {
    this.url = url;
    this.renderer?.kill();
    this.renderer = null;
    return nativeTask(async () => {
      if (this.destroyed) return;
      this.loads += 1;
      const renderer = new RendererWorld(this.world, this.ipc, { id: this.id, url }, this.prefs.contextIsolation !== false);
      this.renderer = renderer;
      if (this.prefs.preload) renderer.run(this.prefs.preload);
      await emitFromNative(this, 'did-finish-load');
    });
  }

  reload(): void {
    void this.loadURL(this.url);
  }

  /** IPC to the renderer: structured-cloned now, delivered in a later task. */
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const cloned = structuredClone(args);
    const renderer = this.renderer;
    setImmediate(() => renderer?.deliver(channel, cloned));
  }

  /** The renderer process dies (OOM, GPU reset, kill): a blank page until someone reloads. */
  crash(): Promise<void> {
    return nativeTask(async () => {
      this.renderer?.kill();
      await emitFromNative(this, 'render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    });
  }

  destroy(): void {
    this.destroyed = true;
    this.renderer?.kill();
  }
}

let nextWindowId = 1;

/**
 * BrowserWindow. Closing follows shell/browser/native_window.cc: Close() emits 'close' at once
 * (NotifyWindowCloseButtonClicked -> WillCloseWindow); a prevented close calls
 * WindowList::WindowCloseCancelled; otherwise the page is closed first and the window finishes
 * closing in a LATER task (NotifyWindowClosed: emits 'closed', then WindowList::RemoveWindow,
 * which runs Browser::OnWindowAllClosed after the last one).
 */
export class BrowserWindowModel extends EventEmitter {
  readonly id = nextWindowId++;
  readonly webContents: WebContentsModel;
  readonly options: Record<string, unknown>;
  private visible = false;
  private minimized = false;
  private closed = false;
  private destroyed = false;
  private shownOnce = false;
  bounds = { x: 0, y: 0, width: 800, height: 600 };
  alwaysOnTop: { flag: boolean; level?: string } = { flag: false };
  allWorkspacesCalls: unknown[][] = [];
  flashing = false;
  focused = false;

  constructor(
    private readonly world: World,
    ipc: IpcMainModel,
    options: Record<string, unknown> = {},
  ) {
    super();
    if (!world.app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    this.options = options;
    this.webContents = new WebContentsModel(world, ipc, (options.webPreferences ?? {}) as WebPreferences);
    this.bounds = { x: 0, y: 0, width: Number(options.width ?? 800), height: Number(options.height ?? 600) };
    this.alwaysOnTop = { flag: options.alwaysOnTop === true };
    world.windows.add(this);
    emitPreventable(world.app, 'web-contents-created', {}, this.webContents);
    emitPreventable(world.app, 'browser-window-created', {}, this);
    this.webContents.on('did-finish-load', () => {
      if (this.shownOnce || this.destroyed) return;
      this.shownOnce = true;
      emitPreventable(this, 'ready-to-show');
    });
    if (options.show !== false) this.show();
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }

  isVisible(): boolean {
    return this.visible && !this.minimized;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  isClosed(): boolean {
    return this.closed;
  }

  show(): void {
    this.focused = true;
    this.showInactive();
  }

  showInactive(): void {
    this.minimized = false;
    if (this.visible) return;
    this.visible = true;
    emitPreventable(this, 'show');
  }

  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.focused = false;
    emitPreventable(this, 'hide');
  }

  focus(): void {
    this.focused = true;
  }

  minimize(): void {
    this.minimized = true;
    this.focused = false;
    emitPreventable(this, 'minimize');
  }

  restore(): void {
    this.minimized = false;
    emitPreventable(this, 'restore');
  }

  moveTop(): void {}

  setBounds(bounds: { x: number; y: number; width: number; height: number }): void {
    this.bounds = { ...bounds };
  }

  getBounds() {
    return { ...this.bounds };
  }

  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.alwaysOnTop = { flag, ...(level ? { level } : {}) };
  }

  /** NativeWindowMac::SetVisibleOnAllWorkspaces: visibleOnFullScreen without skipTransformProcessType calls Browser::DockHide(). */
  setVisibleOnAllWorkspaces(visible: boolean, options?: { visibleOnFullScreen?: boolean; skipTransformProcessType?: boolean }): void {
    this.allWorkspacesCalls.push([visible, options]);
    if (this.world.platform === 'darwin' && !options?.skipTransformProcessType) this.world.dockHidden = Boolean(options?.visibleOnFullScreen);
  }

  flashFrame(flag: boolean): void {
    this.flashing = flag;
  }

  /** BaseWindow::Close -> NativeWindow::Close -> NotifyWindowCloseButtonClicked. */
  close(): void {
    if (this.closed || this.destroyed) return;
    if (emitPreventable(this, 'close')) {
      this.world.app.onWindowCloseCancelled();
      return;
    }
    // BrowserWindow::OnCloseButtonClicked closes the page first; the window follows in a later task.
    void nativeTask(() => this.notifyClosed('native')).catch((error: unknown) => this.world.uncaught(error));
  }

  /** CloseImmediately: no 'close' event, closed at once. */
  destroy(): void {
    if (this.closed || this.destroyed) return;
    void this.notifyClosed('js').catch((error: unknown) => this.world.uncaught(error));
  }

  private async notifyClosed(origin: 'js' | 'native'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroy();
    if (origin === 'native') await emitFromNative(this, 'closed');
    else emitPreventable(this, 'closed');
    if (this.world.windows.remove(this)) await this.world.app.onWindowAllClosed(origin);
  }

  /** Windows only: WM_QUERYENDSESSION / WM_ENDSESSION reach every top-level window (NativeWindowViews::PreHandleMSG). */
  endSession(kind: 'query-session-end' | 'session-end', reasons: string[]): Promise<void> {
    return nativeTask(async () => void (await emitFromNative(this, kind, { reasons })));
  }
}
