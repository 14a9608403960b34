import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { emitPreventable, modelEvent } from './native-task';
import type { MenuItemRecord, NotificationRecord, TrayRecord, World } from './world';

/** nativeImage.createFromPath: an empty image (not an error) when the file is missing; macOS marks `...Template` files as template images. */
export class NativeImageModel {
  template: boolean;
  constructor(
    readonly path: string,
    platform: string,
  ) {
    this.template = platform === 'darwin' && /Template(@\dx)?\.png$/.test(basename(path));
  }
  isEmpty(): boolean {
    return !this.path || !existsSync(this.path);
  }
  setTemplateImage(template: boolean): void {
    this.template = template;
  }
  isTemplateImage(): boolean {
    return this.template;
  }
  toDataURL(): string {
    return 'data:image/png;base64,';
  }
}

/** The machine the classes below act on (set once by index.ts). */
let world: World;
const requireReady = (what: string) => {
  if (!world.app.isReady()) throw new Error(`${what} cannot be used before the app is ready`);
};

export class NotificationModel extends EventEmitter implements NotificationRecord {
  static isSupported(): boolean {
    return true;
  }
  readonly options: Record<string, unknown>;
  shown = false;
  closed = false;
  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    world.notifications.push(this);
  }
  show(): void {
    this.shown = true;
    this.closed = false;
  }
  close(): void {
    this.closed = true;
  }
}

export class MenuModel {
  constructor(readonly items: MenuItemRecord[]) {}
  static buildFromTemplate(template: MenuItemRecord[]): MenuModel {
    const check = (items: MenuItemRecord[]) => {
      for (const item of items) {
        if (typeof item !== 'object' || item === null) throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type');
        if (Array.isArray(item.submenu)) check(item.submenu);
      }
    };
    check(template);
    return new MenuModel(template);
  }
  static setApplicationMenu(menu: MenuModel | null): void {
    world.appMenu = menu ? menu.items : null;
  }
  static getApplicationMenu(): MenuModel | null {
    return world.appMenu ? new MenuModel(world.appMenu) : null;
  }
}

export class TrayModel extends EventEmitter implements TrayRecord {
  image: TrayRecord['image'];
  tooltip = '';
  menu: MenuItemRecord[] = [];
  destroyed = false;
  constructor(image: NativeImageModel) {
    super();
    requireReady('Tray');
    this.image = { path: image.path, empty: image.isEmpty(), template: image.isTemplateImage() };
    world.trays.push(this);
  }
  setImage(image: NativeImageModel): void {
    this.image = { path: image.path, empty: image.isEmpty(), template: image.isTemplateImage() };
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: MenuModel | null): void {
    this.menu = menu?.items ?? [];
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export const powerMonitor = new EventEmitter();

export function shellApis(machine: World) {
  world = machine;

  let blockers = 0;
  const running = new Set<number>();

  return {
    nativeImage: { createFromPath: (path: string) => new NativeImageModel(path, world.platform), createEmpty: () => new NativeImageModel('', world.platform) },
    dialog: {
      showMessageBox: (...args: unknown[]) =>
        new Promise<{ response: number; checkboxChecked: boolean }>((resolve) => {
          const options = (args.length > 1 ? args[1] : args[0]) as Record<string, unknown>;
          world.dialogLog.push(options);
          world.dialogs.push({ options, answer: (response) => resolve({ response, checkboxChecked: false }) });
        }),
    },
    screen: {
      getPrimaryDisplay: () => {
        requireReady('screen');
        return { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, scaleFactor: 1 };
      },
    },

    /** A native power event ('shutdown' passes an event whose preventDefault asks the OS to wait). */
    emitPower: (name: string) => emitPreventable(powerMonitor, name),
    powerSaveBlocker: {
      start: () => {
        running.add(++blockers);
        return blockers;
      },
      stop: (id: number) => void running.delete(id),
      isStarted: (id: number) => running.has(id),
    },
    globalShortcut: {
      register: (accelerator: string) => (world.shortcuts.add(accelerator), true),
      unregister: (accelerator: string) => void world.shortcuts.delete(accelerator),
      unregisterAll: () => world.shortcuts.clear(),
      isRegistered: (accelerator: string) => world.shortcuts.has(accelerator),
    },
    net: { fetch: (input: string, init?: RequestInit) => fetch(input, init), isOnline: () => true },
    /** safeStorage: the OS keychain on macOS and Windows; none on this Linux (no secret service), so unavailable there. */
    safeStorage: {
      isEncryptionAvailable: () => world.platform !== 'linux',
      encryptString: (plain: string) => Buffer.concat([Buffer.from('v10'), Buffer.from(plain).map((b) => b ^ 0x5a)]),
      decryptString: (sealed: Buffer) => {
        if (sealed.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
        return Buffer.from(sealed.subarray(3).map((b) => b ^ 0x5a)).toString();
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => void (world.permissionHandlers += 1),
        setPermissionCheckHandler: () => void (world.permissionHandlers += 1),
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string }[]) => {
        if (world.app.isReady()) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
        world.privilegedSchemes.push(...schemes.map((s) => s.scheme));
      },
      handle: (scheme: string) => {
        requireReady('protocol.handle');
        world.handledSchemes.push(scheme);
      },
    },
    shell: { openExternal: async (url: string) => void world.logs.push(`openExternal ${url}`) },
    clipboard: { writeText: (text: string) => void world.logs.push(`clipboard ${text.length} chars`) },
    desktopCapturer: { getSources: async () => [] },
    modelEvent,
  };
}
