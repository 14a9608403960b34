import electronUpdater from 'electron-updater';
import type { Logger } from '../../shared/phone';

/**
 * electron-updater with the generic provider. The URL comes from configuration: the packaged
 * app-update.yml (electron-builder `publish`, from SOFTPHONE_UPDATE_URL at build time), or
 * SOFTPHONE_UPDATE_URL at run time (https only). Without either, updates are off.
 */
export function startUpdater(updateUrl: string | null, log: Logger): void {
  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = { info: (m: unknown) => log.info(String(m)), warn: (m: unknown) => log.warn(String(m)), error: (m: unknown) => log.error(String(m)), debug: () => {} };
  if (updateUrl) autoUpdater.setFeedURL({ provider: 'generic', url: updateUrl });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => log.warn('update check failed', { error: String(error) }));
}
