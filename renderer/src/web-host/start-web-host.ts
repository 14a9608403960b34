import type { SoftphoneBridge } from '../../../shared/bridge';
import type { FetchLike } from '../../../shared/host';
import type { Logger } from '../../../shared/phone/ports';
import { missedNotifier, notificationSurface, requestNotificationPermissionOnce, titleSurface } from './page-surfaces';
import { memoryStorage, type KeyValueStorage } from './storage-ports';
import { createWebHost } from './web-host';

declare const __APP_VERSION__: string;

const consoleLogger: Logger = {
  debug: () => undefined,
  info: (message, fields) => console.info(`[softphone] ${message}`, fields ?? ''),
  warn: (message, fields) => console.warn(`[softphone] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[softphone] ${message}`, fields ?? ''),
};

function usable(storage: () => Storage): KeyValueStorage {
  try {
    const s = storage();
    s.getItem('probe');
    return s;
  } catch {
    return memoryStorage(); // storage blocked (privacy mode): this tab forgets on reload
  }
}

/** Boots the web host in this page and returns the bridge the renderer uses. */
export async function startWebHost(): Promise<SoftphoneBridge> {
  const host = await createWebHost({
    info: {
      kind: 'web',
      platform: navigator.platform || 'web',
      version: __APP_VERSION__,
      capabilities: { incomingWindow: false, screenSources: false, globalShortcuts: false, startAtLogin: false, deepLinkHandlers: false, clipboard: false },
    },
    storage: usable(() => window.localStorage),
    tabStorage: usable(() => window.sessionStorage),
    fetch: window.fetch.bind(window) as unknown as FetchLike,
    pageOrigin: window.location.origin.startsWith('http') ? window.location.origin : null,
    logger: consoleLogger,
    ringSurfaces: (core) => [notificationSurface(() => core().strings), titleSurface(() => core().strings)],
    missed: missedNotifier(),
    systemLanguage: () => navigator.language,
    presentMain: () => window.focus(),
    exclusive: navigator.locks ? async (run) => await navigator.locks.request('softphone.refresh', run) : undefined,
  });
  requestNotificationPermissionOnce();

  // Wake, network back, tab visible again: re-check the connection at once instead of waiting for a ping timeout.
  const recheck = () => void host.core.checkConnection();
  window.addEventListener('online', recheck);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && recheck());

  // A link such as /?call=alice asks to call alice (the user confirms; nothing dials silently).
  const wanted = new URLSearchParams(window.location.search).get('call');
  if (wanted) host.core.handleDeepLink(`softphone://call/${encodeURIComponent(wanted)}`);

  // Reload or close during a call: ask first (the browser shows its own "Leave site?" prompt).
  window.addEventListener('beforeunload', (event) => {
    if (!host.core.hasLiveCall()) return;
    event.preventDefault();
    event.returnValue = ''; // older Chromium needs it set
  });
  // A page going away leaves an answered call to the server's resume grace: a reload takes it back
  // (PhoneCore adopts it and the media restarts); a closed tab ends it when the grace runs out.
  window.addEventListener('pagehide', () => void host.stop({ keepResumable: true }));
  return host.bridge;
}
