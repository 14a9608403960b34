import type { ROUTES } from '../../shared/bridge';

/** The custom protocol that serves the production renderer (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'softphone';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Command-line flags the app understands. */
export const FLAGS = {
  /** Start hidden in the tray (start at login passes it). */
  hidden: '--hidden',
  /** Test mode (Playwright _electron): fake media devices, no updater, user data from SOFTPHONE_USER_DATA. */
  test: '--softphone-test',
} as const;

export interface LaunchConfig {
  startHidden: boolean;
  testMode: boolean;
  /** Where the renderer comes from: the dev server in development, app://softphone in production. */
  rendererBase: string;
  /** Origin the sender check and the permission handlers accept. */
  rendererOrigin: string;
  /** electron-updater generic provider URL (SOFTPHONE_UPDATE_URL); null disables updates. */
  updateUrl: string | null;
  /** Overrides the stored server URL (SOFTPHONE_SERVER_URL), e.g. `npm start` against the local service. */
  serverUrl: string | null;
  /** Overrides the user-data folder (SOFTPHONE_USER_DATA): tests get a fresh profile. */
  userDataDir: string | null;
}

type Env = Record<string, string | undefined>;

export function launchConfig(argv: readonly string[], env: Env, packaged: boolean): LaunchConfig {
  const devUrl = !packaged ? (env.SOFTPHONE_RENDERER_URL ?? null) : null;
  const rendererBase = devUrl ?? `${APP_ORIGIN}/`;
  const origin = new URL(rendererBase);
  return {
    startHidden: argv.includes(FLAGS.hidden),
    testMode: argv.includes(FLAGS.test),
    rendererBase,
    rendererOrigin: `${origin.protocol}//${origin.host}`,
    updateUrl: env.SOFTPHONE_UPDATE_URL && /^https:\/\//.test(env.SOFTPHONE_UPDATE_URL) ? env.SOFTPHONE_UPDATE_URL : null,
    serverUrl: env.SOFTPHONE_SERVER_URL ?? null,
    userDataDir: env.SOFTPHONE_USER_DATA ?? null,
  };
}

/** The renderer's hash route on the renderer base URL. */
export function routeUrl(base: string, route: (typeof ROUTES)[keyof typeof ROUTES]): string {
  return `${base.replace(/#.*$/, '')}#${route}`;
}

/** Chromium switches for test mode: fake camera and microphone, no permission prompts. */
export const FAKE_MEDIA_SWITCHES = ['use-fake-device-for-media-stream', 'use-fake-ui-for-media-stream'] as const;
