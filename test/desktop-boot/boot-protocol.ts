/** Messages between the boot test (parent) and the driver running the app under the Electron model (child). */

export type WindowName = 'main' | 'incoming';

export type BootCommand =
  | { cmd: 'state' }
  | { cmd: 'invoke'; window: WindowName; name: string; request: unknown }
  | { cmd: 'exposed'; window: WindowName }
  | { cmd: 'tray-menu'; label: string }
  | { cmd: 'app-menu'; label: string }
  | { cmd: 'notification'; index: number; action: 'click' } | { cmd: 'notification'; index: number; action: 'action'; actionIndex: number }
  | { cmd: 'second-instance'; argv: string[] }
  | { cmd: 'open-url'; url: string }
  | { cmd: 'dialog'; response: number }
  | { cmd: 'native-quit' }
  | { cmd: 'close-window'; window: WindowName }
  | { cmd: 'session-end'; kind: 'query-session-end' | 'session-end' }
  | { cmd: 'crash'; window: WindowName }
  | { cmd: 'power'; event: string };

export interface WindowState {
  route: WindowName;
  visible: boolean;
  minimized: boolean;
  destroyed: boolean;
  type: string | null;
  skipTaskbar: boolean;
  alwaysOnTop: { flag: boolean; level?: string };
  allWorkspacesCalls: unknown[][];
  loads: number;
  prefs: Record<string, unknown>;
  exposedKeys: string[];
  evalAttempts: string[];
  /** Bridge events this window's page received (through what the preload exposed), oldest first. */
  events: { name: string; payload: unknown }[];
}

export interface AppState {
  platform: string;
  /** What Electron calls the app (from how it was launched) and where its profile is. */
  identity: { name: string; desktopName: string; userData: string; packaged: boolean };
  /** The test-mode probe (globalThis.__softphoneTest) exists. */
  testProbe: boolean;
  lifecycle: string[];
  errors: string[];
  logs: string[];
  windows: WindowState[];
  trays: { destroyed: boolean; image: { file: string; empty: boolean; template: boolean }; tooltip: string; menu: string[] }[];
  notifications: { title: string; body: string; shown: boolean; closed: boolean; actions: unknown; toastXml: string | null; urgency: unknown }[];
  badgeCalls: number[];
  badgeCount: number;
  dockHidden: boolean;
  appUserModelId: string | null;
  appMenu: { label: string | null; role: string | null; accelerator: string | null; path: string }[] | null;
  ipcChannels: string[];
  pendingDialogs: number;
  dialogs: Record<string, unknown>[];
  protocolClients: Record<string, { path: string; args: string[] }>;
  handledSchemes: string[];
  privilegedSchemes: string[];
  sandboxEnabled: boolean;
  switches: Record<string, string>;
  shutDown: boolean;
}

export type DriverMessage =
  | { type: 'booted' }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'exited'; code: number; state: AppState };
