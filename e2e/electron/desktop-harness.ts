import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, expect, type ElectronApplication, type Page } from '@playwright/test';
import { electronAppArgs } from '../../scripts/electron-binary.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/electron/main/index.js');
/** `electron <app folder>`, as `npm start` runs it (scripts/electron-binary.mjs electronAppArgs: the boot test checks the identity it gives). */
const APP_ARGS = electronAppArgs(ROOT);

export { electronBinary } from '../../scripts/electron-binary.mjs';

/** Builds dist/electron (main + preload) once, if it is missing or older than a run. */
export function buildDesktop(): void {
  if (existsSync(MAIN) && process.env.SOFTPHONE_E2E_REBUILD !== '1') return;
  const result = spawnSync('node', ['scripts/build-electron.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the Electron app failed');
}

interface ProbeState {
  notifications: { title: string; body: string; closed: boolean }[];
  incomingShown: number[];
  badge: { count: number; supported: boolean };
  tray: { icon: string; tooltip: string };
}

/** One running desktop app (its own user-data folder), driven through Playwright's _electron. */
export class Desktop {
  private constructor(
    readonly app: ElectronApplication,
    readonly userData: string,
    private readonly binary: string,
    private readonly serverUrl: string,
  ) {}

  static async launch(binary: string, serverUrl: string, extraArgs: string[] = ['--hidden']): Promise<Desktop> {
    const userData = mkdtempSync(join(tmpdir(), 'softphone-desktop-'));
    const app = await _electron.launch({
      executablePath: binary,
      args: [...APP_ARGS, '--softphone-test', ...extraArgs],
      env: { ...process.env, SOFTPHONE_USER_DATA: userData, SOFTPHONE_SERVER_URL: serverUrl, ELECTRON_ENABLE_LOGGING: '1' },
      timeout: 30_000,
    });
    return new Desktop(app, userData, binary, serverUrl);
  }

  /** The renderer page of a window, by its hash route. */
  async page(route: 'main' | 'incoming'): Promise<Page> {
    const matches = (page: Page) => (route === 'incoming' ? page.url().includes('#/incoming') : !page.url().includes('#/incoming'));
    await expect.poll(() => this.app.windows().some(matches), { timeout: 20_000 }).toBe(true);
    return this.app.windows().find(matches)!;
  }

  /** Which of the app's windows are visible, by route. */
  visibility(): Promise<{ main: boolean; incoming: boolean }> {
    return this.app.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows();
      const find = (incoming: boolean) => windows.find((w) => w.webContents.getURL().includes('#/incoming') === incoming);
      return { main: find(false)?.isVisible() ?? false, incoming: find(true)?.isVisible() ?? false };
    });
  }

  probe(): Promise<ProbeState> {
    return this.app.evaluate(() => {
      const probe = (globalThis as unknown as { __softphoneTest: ProbeState & { core: unknown } }).__softphoneTest;
      return { notifications: probe.notifications, incomingShown: probe.incomingShown, badge: probe.badge, tray: probe.tray };
    });
  }

  /** Signs in through the real bridge (window.softphone over IPC) and waits for the phone to be online. */
  async signIn(username: string, password: string): Promise<void> {
    const main = await this.page('main');
    await main.waitForFunction(() => Boolean((window as unknown as { softphone?: unknown }).softphone));
    const result = await main.evaluate(
      ([u, p, s]) => (window as unknown as { softphone: { invoke(n: string, r: unknown): Promise<{ ok: boolean }> } }).softphone.invoke('auth.login', { username: u, password: p, serverUrl: s }),
      [username, password, this.serverUrl] as const,
    );
    expect(result.ok).toBe(true);
    await expect.poll(async () => (await this.probe()).tray.icon, { timeout: 20_000 }).toBe('online');
  }

  /** Closes the main window the way a user does (it hides: the app stays in the tray). */
  async closeMainWindow(): Promise<void> {
    await this.app.evaluate(({ BrowserWindow }) => {
      BrowserWindow.getAllWindows()
        .find((w) => !w.webContents.getURL().includes('#/incoming'))
        ?.close();
    });
  }

  /** A second launch with a link, as the OS does when a softphone:// link is opened. */
  async openLinkFromSecondInstance(link: string): Promise<void> {
    const child = spawn(this.binary, [...APP_ARGS, '--softphone-test', link], {
      env: { ...process.env, SOFTPHONE_USER_DATA: this.userData, SOFTPHONE_SERVER_URL: this.serverUrl },
      stdio: 'ignore',
    });
    await new Promise<void>((resolveExit, reject) => {
      const timer = setTimeout(() => reject(new Error('the second instance did not exit (single-instance lock not handed over)')), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolveExit();
      });
    });
  }

  async close(): Promise<void> {
    await this.app.evaluate(({ app }) => {
      (globalThis as unknown as { __softphoneTest?: unknown }).__softphoneTest = undefined;
      app.exit(0);
    }).catch(() => undefined);
    await this.app.close().catch(() => undefined);
    rmSync(this.userData, { recursive: true, force: true });
  }
}
