import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronAppArgs } from '../../scripts/electron-binary.mjs';
import type { AppState, BootCommand, DriverMessage, WindowName } from './boot-protocol';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const DRIVER = fileURLToPath(new URL('./driver.ts', import.meta.url));

export type BootPlatform = 'linux' | 'linux-wayland' | 'darwin' | 'win32';

export interface BootOptions {
  serverUrl: string;
  /** The built main bundle to load (default: what Electron finds from the launch, package.json `main`). */
  main?: string;
  /** Extra command-line arguments (after `electron <app folder>`). */
  args?: string[];
  /** Run as a packaged app (app.isPackaged; no default_app). */
  packaged?: boolean;
}

/** One run of the app's built main process under the Electron model, in a child process. */
export class BootedApp {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private output = '';
  readonly exited: Promise<{ code: number; state: AppState }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly home: string,
    booted: () => void,
  ) {
    let onExit: (result: { code: number; state: AppState }) => void = () => undefined;
    this.exited = new Promise((resolveExit) => (onExit = resolveExit));
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.on('message', (message: DriverMessage) => {
      if (message.type === 'booted') booted();
      else if (message.type === 'exited') onExit({ code: message.code, state: message.state });
      else {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok) waiter?.resolve(message.value);
        else waiter?.reject(new Error(message.error));
      }
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`the app process exited (${code}) before answering:\n${this.output.slice(-3000)}`));
      this.pending.clear();
    });
  }

  static async start(platform: BootPlatform, options: BootOptions): Promise<BootedApp> {
    const home = mkdtempSync(join(tmpdir(), `softphone-boot-${platform}-`));
    const wayland = platform === 'linux-wayland';
    const child = fork(DRIVER, [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        BOOT_PLATFORM: wayland ? 'linux' : platform,
        ...(options.main ? { BOOT_MAIN: options.main } : {}),
        BOOT_HOME: home,
        BOOT_APP_PATH: ROOT,
        // Launched the way `npm start` and the _electron suite launch it.
        BOOT_LAUNCH: JSON.stringify(electronAppArgs(ROOT)),
        BOOT_PACKAGED: options.packaged ? '1' : '0',
        BOOT_ARGS: JSON.stringify(options.args ?? []),
        SOFTPHONE_SERVER_URL: options.serverUrl,
        SOFTPHONE_USER_DATA: join(home, 'user-data'),
        // No session bus (so no tray host is found on Linux) and the display server under test.
        DBUS_SESSION_BUS_ADDRESS: 'disabled:',
        XDG_SESSION_TYPE: wayland ? 'wayland' : 'x11',
        WAYLAND_DISPLAY: wayland ? 'wayland-0' : '',
      },
    });
    let booted: () => void = () => undefined;
    const ready = new Promise<void>((resolveBoot) => (booted = resolveBoot));
    const app = new BootedApp(child, home, booted);
    const failed = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the app process exited (${code}) during start-up:\n${app.output.slice(-4000)}`))));
    await Promise.race([ready, failed]);
    return app;
  }

  request<T = unknown>(command: BootCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolveReply, reject) => {
      this.pending.set(id, { resolve: resolveReply as (value: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }

  state(): Promise<AppState> {
    return this.request<AppState>({ cmd: 'state' });
  }

  /** A bridge call made by the page in `window`, through what its preload exposed. */
  invoke<T = unknown>(window: WindowName, name: string, request: unknown = {}): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
    return this.request({ cmd: 'invoke', window, name, request });
  }

  /** Polls the model's state until `ready(state)` holds. */
  async waitFor(what: string, ready: (state: AppState) => boolean, timeoutMs = 10_000): Promise<AppState> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.state();
      if (ready(state)) return state;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; state:\n${JSON.stringify({ ...state, logs: state.logs.slice(-15) }, null, 1).slice(0, 6000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Resolves when the app's process ended by itself; rejects after `timeoutMs`. */
  async waitForExit(timeoutMs = 10_000): Promise<{ code: number; state: AppState }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(async () => {
        const state = await this.state().catch(() => null);
        reject(new Error(`the app did not exit within ${timeoutMs} ms; lifecycle: ${JSON.stringify(state?.lifecycle)}; windows: ${JSON.stringify(state?.windows.map((w) => [w.route, w.destroyed]))}; trays: ${JSON.stringify(state?.trays.map((t) => t.destroyed))}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  logs(): string {
    return this.output;
  }

  /** Ends the child (if still running) and removes its home folder. */
  async dispose(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const gone = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await gone;
    }
    rmSync(this.home, { recursive: true, force: true });
  }
}
