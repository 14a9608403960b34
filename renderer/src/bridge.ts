import type { SoftphoneBridge } from '../../shared/bridge';

declare global {
  interface Window {
    /** The bridge the Electron preload exposes (absent in a plain browser). */
    softphone?: SoftphoneBridge;
  }
}

/**
 * THE one place the renderer reaches its host. In Electron the preload has put the bridge on
 * `window.softphone`; in a plain browser the web host (PhoneCore and the host core in this page)
 * is loaded on demand, so the Electron bundle never runs it.
 */
export async function connectBridge(): Promise<SoftphoneBridge> {
  if (window.softphone) return window.softphone;
  const { startWebHost } = await import('./web-host/start-web-host');
  return startWebHost();
}
