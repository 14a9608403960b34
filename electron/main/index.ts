// The Electron main process entry (bundled to dist/electron/main/index.js by scripts/build-electron.mjs).
import { app, protocol, session, shell } from 'electron';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDeepLinkArg } from '../../shared/host';
import { APP_SCHEME_PRIVILEGES, appProtocolHandler } from './app-protocol';
import { APP_ID, APP_SCHEME, FAKE_MEDIA_SWITCHES, launchConfig } from './config';
import { startDesktopApp } from './desktop-app';
import { secondInstanceAction } from './lifecycle';
import { hardenSession, hardenWebContents } from './security';
import { chromiumFeatures, isWaylandSession, sessionTraits } from './session-traits';

const here = dirname(fileURLToPath(import.meta.url));
const distRoot = join(here, '..', '..');
const config = launchConfig(process.argv, process.env, app.isPackaged);

// Windows: toasts (incoming call, missed call, Answer/Decline) belong to the Start-menu shortcut
// that carries this AppUserModelID; without it they are attributed to no app (or to electron.exe).
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
if (config.userDataDir) app.setPath('userData', config.userDataDir);
if (config.testMode) for (const name of FAKE_MEDIA_SWITCHES) app.commandLine.appendSwitch(name);
const features = chromiumFeatures(process.platform);
if (features.length) app.commandLine.appendSwitch('enable-features', features.join(','));
const traits = sessionTraits(
  process.platform,
  isWaylandSession(process.platform, process.env, {
    ozonePlatform: app.commandLine.getSwitchValue('ozone-platform'),
    ozonePlatformHint: app.commandLine.getSwitchValue('ozone-platform-hint'),
  }),
);
protocol.registerSchemesAsPrivileged([...APP_SCHEME_PRIVILEGES]);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // Another instance runs: it gets our argv (and any link) through 'second-instance'.
  app.quit();
} else {
  let desktop: Awaited<ReturnType<typeof startDesktopApp>> | null = null;
  const pendingLinks: string[] = [];
  const deliver = (link: string) => (desktop ? desktop.openLink(link) : pendingLinks.push(link));

  app.on('second-instance', (_event, argv) => {
    const { link } = secondInstanceAction(argv, findDeepLinkArg);
    desktop?.showMain();
    if (link) deliver(link);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deliver(url);
  });
  // hardenWebContents hands over only URLs that passed safeExternalUrl (http/https, no credentials).
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => void shell.openExternal(url))); // eng-disable OPEN_EXTERNAL_JS_CHECK

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, config.rendererOrigin);
    protocol.handle(APP_SCHEME, appProtocolHandler(join(distRoot, 'renderer'), (file) => readFile(file)));
    desktop = await startDesktopApp(config, traits, {
      preload: join(distRoot, 'electron', 'preload', 'index.cjs'),
      trayIcons: join(distRoot, 'electron', 'tray'),
      appIcon: join(distRoot, 'electron', 'icon.png'),
    });
    for (const link of pendingLinks.splice(0)) desktop.openLink(link);
  });
}
