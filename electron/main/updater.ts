import electronUpdater from 'electron-updater';
import type { Logger } from '../../shared/phone';

/**
 * Where updates come from: SOFTPHONE_UPDATE_URL at run time (https only), else the packaged
 * app-update.yml that `npm run dist` writes when SOFTPHONE_UPDATE_URL is set at build time.
 * Neither: updates are off (electron-updater would otherwise fail on the missing file).
 */
export function updateFeed(runtimeUrl: string | null, hasPackagedFeed: boolean): { url: string | null } | null {
  if (runtimeUrl) return { url: runtimeUrl };
  return hasPackagedFeed ? { url: null } : null;
}

/** electron-updater with the generic provider. */
export function startUpdater(feed: { url: string | null } | null, log: Logger): void {
  if (!feed) return log.info('updates off: no update URL configured');
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = { info: (m: unknown) => log.info(String(m)), warn: (m: unknown) => log.warn(String(m)), error: (m: unknown) => log.error(String(m)), debug: () => {} };
  if (feed.url) autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => log.warn('update check failed', { error: String(error) }));
}
