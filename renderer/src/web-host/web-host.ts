import { createBridgeClient, createBridgeDispatcher, type HostInfo, type SoftphoneBridge } from '../../../shared/bridge';
import type { EventMessage } from '../../../shared/bridge';
import { createHostHandlers, HostCore, httpOverFetch, phoneCoreFactory, type FetchLike, type HostPorts, type RingSurface } from '../../../shared/host';
import type { Logger } from '../../../shared/phone/ports';
import { deviceIdStore, historyCache, sessionStore, settingsStore, type KeyValueStorage } from './storage-ports';

export interface WebHostOptions {
  info: HostInfo;
  /** localStorage: settings, the session (without tokens), the history cache. */
  storage: KeyValueStorage;
  /** sessionStorage: this tab's device id. */
  tabStorage: KeyValueStorage;
  fetch: FetchLike;
  /** The origin that served the page: the default server. */
  pageOrigin: string | null;
  logger: Logger;
  ringSurfaces?: (core: () => HostCore) => RingSurface[];
  missed?: HostPorts['missed'];
  systemLanguage?: () => string;
  presentMain?: () => void;
  /** Serializes token refreshes across this browser's tabs (they share the refresh cookie): navigator.locks. */
  exclusive?: <T>(run: () => Promise<T>) => Promise<T>;
}

export interface WebHost {
  core: HostCore;
  /** What the renderer uses as window.softphone. */
  bridge: SoftphoneBridge;
  /** `keepResumable`: leave answered calls and calls waiting in a line to the server's resume grace (the page is reloading or closing). */
  stop(options?: { keepResumable?: boolean }): Promise<void>;
}

/**
 * The web host: the shared host core (PhoneCore, session, settings, ring decisions) running in the
 * page, with browser ports, reached through the same bridge client and contract as in Electron.
 * Messages are structured-cloned both ways, as Electron's IPC does, so the renderer can never hold
 * a reference into host state.
 */
export async function createWebHost(options: WebHostOptions): Promise<WebHost> {
  let core: HostCore | null = null;
  const ports: HostPorts = {
    info: options.info,
    http: httpOverFetch(options.fetch),
    createPhone: phoneCoreFactory({ deviceIds: deviceIdStore(options.tabStorage), logger: options.logger }),
    settings: settingsStore(options.storage, options.pageOrigin),
    session: sessionStore(options.storage),
    sessionTokens: { refreshToken: 'cookie', exclusive: options.exclusive },
    historyCache: historyCache(options.storage),
    ringSurfaces: options.ringSurfaces?.(() => core!) ?? [],
    log: options.logger,
    missed: options.missed,
    systemLanguage: options.systemLanguage,
    presentMain: options.presentMain,
  };
  core = new HostCore(ports);
  const dispatch = createBridgeDispatcher(createHostHandlers(core), {
    onInternalError: (name, error) => options.logger.error('bridge handler failed', { name, error: String(error) }),
  });
  const listeners = new Set<(message: unknown) => void>();
  const removeSink = core.events.addSink((message: EventMessage) => {
    const copy = structuredClone(message);
    queueMicrotask(() => listeners.forEach((listener) => listener(copy)));
  });
  const bridge = createBridgeClient(
    {
      invoke: async (message) => structuredClone(await dispatch(structuredClone(message))),
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    { onInvalid: (what, detail) => options.logger.warn('bridge sent something the contract does not allow', { what, detail }) },
  );
  await core.start();
  return {
    core,
    bridge,
    stop: async (stopOptions) => {
      removeSink();
      await core.stop(stopOptions);
    },
  };
}
