import type { AppModel } from './app';
import type { Launch } from './launch';
import type { BrowserWindowModel } from './window';

export interface NotificationRecord {
  options: Record<string, unknown>;
  shown: boolean;
  closed: boolean;
  emit(event: string, ...args: unknown[]): boolean;
}

export interface TrayRecord {
  image: { path: string; empty: boolean; template: boolean };
  tooltip: string;
  menu: MenuItemRecord[];
  destroyed: boolean;
  emit(event: string, ...args: unknown[]): boolean;
}

export interface MenuItemRecord {
  label?: string;
  role?: string;
  accelerator?: string;
  type?: string;
  click?: (...args: unknown[]) => void;
  submenu?: MenuItemRecord[];
}

export interface PendingDialog {
  options: Record<string, unknown>;
  answer(response: number): void;
}

/** Everything the model knows about the simulated machine; the driver reads it for the test. */
export class World {
  app!: AppModel;
  readonly lifecycle: string[] = [];
  readonly notifications: NotificationRecord[] = [];
  readonly trays: TrayRecord[] = [];
  readonly dialogs: PendingDialog[] = [];
  readonly dialogLog: Record<string, unknown>[] = [];
  readonly badgeCalls: number[] = [];
  readonly protocolClients = new Map<string, { path: string; args: string[] }>();
  readonly handledSchemes: string[] = [];
  readonly privilegedSchemes: string[] = [];
  readonly shortcuts = new Set<string>();
  readonly errors: string[] = [];
  readonly logs: string[] = [];
  badgeCount = 0;
  dockHidden = false;
  sandboxEnabled = false;
  appUserModelId: string | null = null;
  loginItem: unknown = null;
  appMenu: MenuItemRecord[] | null = null;
  exitCode = 0;
  permissionHandlers = 0;

  constructor(
    readonly platform: 'linux' | 'darwin' | 'win32',
    readonly paths: Record<string, string>,
    readonly launch: Launch,
    readonly windows: WindowList,
    readonly onProcessEnd: () => void,
  ) {}

  /** An exception thrown by app code inside an event listener (Electron shows it as an uncaught error). */
  uncaught(error: unknown): void {
    this.errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}

/** shell/browser/window_list.cc */
export class WindowList {
  private readonly windows: BrowserWindowModel[] = [];
  constructor(private readonly platform: string) {}

  add(window: BrowserWindowModel): void {
    this.windows.push(window);
  }

  /** Returns true when that was the last window (the caller then runs Browser::OnWindowAllClosed). */
  remove(window: BrowserWindowModel): boolean {
    const index = this.windows.indexOf(window);
    if (index >= 0) this.windows.splice(index, 1);
    return this.windows.length === 0;
  }

  isEmpty(): boolean {
    return this.windows.length === 0;
  }

  all(): BrowserWindowModel[] {
    return [...this.windows];
  }

  /** WindowList::CloseAllWindows: every window not yet closed gets Close(); macOS goes newest first. */
  closeAll(): void {
    const windows = [...this.windows];
    if (this.platform === 'darwin') windows.reverse();
    for (const window of windows) if (!window.isClosed()) window.close();
  }

  /** WindowList::DestroyAllWindows (app.exit): CloseImmediately on each. */
  destroyAll(): void {
    for (const window of [...this.windows]) if (!window.isClosed()) window.destroy();
  }
}
