import type { ROUTES } from '../../shared/bridge';

/** The custom protocol that serves the production renderer (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'softphone';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * electron-builder.yml `appId`. Windows ties toasts to the Start-menu shortcut that carries this
 * AppUserModelID (NSIS writes it), so app.setAppUserModelId must use the same string
 * (electron/packaging.test.ts compares the two).
 */
export const APP_ID = 'com.softphone.desktop';

/** Command-line flags the app understands. */
export const FLAGS = {
  /** Start hidden in the tray (start at login passes it). */
  hidden: '--hidden',
  /** Test mode (Playwright _electron): fake media devices, no updater, user data from SOFTPHONE_USER_DATA. */
  test: '--softphone-test',
} as const;

export interface LaunchConfig {
  startHidden: boolean;
  /** --softphone-test; never in a packaged build. */
  testMode: boolean;
  /** Where the renderer comes from: the dev server in development, app://softphone in production. */
  rendererBase: string;
  /** Origin the sender check and the permission handlers accept. */
  rendererOrigin: string;
  /** electron-updater generic provider URL (SOFTPHONE_UPDATE_URL); null disables updates. */
  updateUrl: string | null;
  /** Overrides the stored server URL (SOFTPHONE_SERVER_URL), e.g. `npm start` against the local service; development only. */
  serverUrl: string | null;
  /** Overrides the user-data folder (SOFTPHONE_USER_DATA): tests get a fresh profile; development only. */
  userDataDir: string | null;
}

type Env = Record<string, string | undefined>;

/**
 * Reads the command line and the environment. Every switch that changes what the app trusts or
 * where it reads from (dev renderer, test mode with fake media and the probe, server URL, user
 * data) works only in an unpackaged build: a packaged app ignores them.
 */
export function launchConfig(argv: readonly string[], env: Env, packaged: boolean): LaunchConfig {
  const dev = (value: string | undefined) => (!packaged && value ? value : null);
  const rendererBase = dev(env.SOFTPHONE_RENDERER_URL) ?? `${APP_ORIGIN}/`;
  const origin = new URL(rendererBase);
  return {
    startHidden: argv.includes(FLAGS.hidden),
    testMode: !packaged && argv.includes(FLAGS.test),
    rendererBase,
    rendererOrigin: `${origin.protocol}//${origin.host}`,
    updateUrl: env.SOFTPHONE_UPDATE_URL && /^https:\/\//.test(env.SOFTPHONE_UPDATE_URL) ? env.SOFTPHONE_UPDATE_URL : null,
    serverUrl: dev(env.SOFTPHONE_SERVER_URL),
    userDataDir: dev(env.SOFTPHONE_USER_DATA),
  };
}

/** The renderer's hash route on the renderer base URL. */
export function routeUrl(base: string, route: (typeof ROUTES)[keyof typeof ROUTES]): string {
  return `${base.replace(/#.*$/, '')}#${route}`;
}

/** Chromium switches for test mode: fake camera and microphone, no permission prompts. */
export const FAKE_MEDIA_SWITCHES = ['use-fake-device-for-media-stream', 'use-fake-ui-for-media-stream'] as const;

/**
 * How the OS starts this app again (login item, autostart entry, protocol handler): the packaged
 * executable, or in development the Electron binary with the app folder as an ABSOLUTE path
 * (`electron .` gives argv[1] = '.', which means nothing to the OS later).
 */
export function selfLaunch(packaged: boolean, execPath: string, appPath: string): { exe: string; args: string[] } {
  return packaged ? { exe: execPath, args: [] } : { exe: execPath, args: [appPath] };
}
