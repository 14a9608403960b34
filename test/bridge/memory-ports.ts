import type { HistoryEntry } from '../../shared/protocol';
import type { HostInfo } from '../../shared/bridge';
import type { Settings } from '../../shared/settings';
import { silentLogger, type Logger } from '../../shared/phone';
import {
  httpOverFetch,
  phoneCoreFactory,
  type FetchLike,
  type HostPorts,
  type RingSurface,
  type StoredSession,
} from '../../shared/host';

/** Host ports for Node tests: in-memory storage, the real fetch, the real PhoneCore over socket.io. */
export function memoryHostPorts(info: HostInfo, extra: Partial<HostPorts> = {}, logger: Logger = silentLogger): HostPorts & { stored: MemoryStorage } {
  const stored = new MemoryStorage();
  return {
    info,
    http: httpOverFetch(globalThis.fetch as unknown as FetchLike),
    createPhone: phoneCoreFactory({ deviceIds: { load: () => stored.deviceId, save: (id) => (stored.deviceId = id) }, logger }),
    settings: { load: () => stored.settings, save: (s) => void (stored.settings = structuredClone(s)) },
    session: { load: () => stored.session, save: (s) => void (stored.session = s), clear: () => void (stored.session = null) },
    historyCache: { load: () => stored.history, save: (h) => void (stored.history = h), clear: () => void (stored.history = null) },
    ringSurfaces: [] as RingSurface[],
    log: logger,
    stored,
    ...extra,
  };
}

export class MemoryStorage {
  settings: Settings | unknown = undefined;
  session: StoredSession | null = null;
  history: HistoryEntry[] | null = null;
  deviceId: string | null = null;
}
