import { HistoryEntry } from '../../../shared/protocol';
import { defaultSettings, type Settings } from '../../../shared/settings';
import type { DeviceIdStore, HistoryCachePort, SessionStorePort, SettingsStorePort, StoredSession } from '../../../shared/host';


/** Web Storage as the browser has it (localStorage / sessionStorage); tests pass an in-memory one. */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const KEYS = { settings: 'softphone.settings', session: 'softphone.session', history: 'softphone.history', deviceId: 'softphone.deviceId' } as const;

function readJson(storage: KeyValueStorage, key: string): unknown {
  const raw = storage.getItem(key);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Settings in localStorage. The host core migrates and validates what it loads; a browser that never
 * stored settings starts with the defaults pointed at the server that served this page.
 */
export function settingsStore(storage: KeyValueStorage, pageOrigin: string | null): SettingsStorePort {
  return {
    load: () => readJson(storage, KEYS.settings) ?? (pageOrigin ? ({ ...defaultSettings(), serverUrl: pageOrigin } satisfies Settings) : undefined),
    save: (settings) => storage.setItem(KEYS.settings, JSON.stringify(settings)),
  };
}

/** The remembered session (tokens) in localStorage: the browser's usual place; cleared on sign-out. */
export function sessionStore(storage: KeyValueStorage): SessionStorePort {
  return {
    load: () => {
      const value = readJson(storage, KEYS.session) as StoredSession | undefined;
      return value && typeof value.accessToken === 'string' && typeof value.refreshToken === 'string' && value.user ? value : null;
    },
    save: (session) => storage.setItem(KEYS.session, JSON.stringify(session)),
    clear: () => storage.removeItem(KEYS.session),
  };
}

/** The offline copy of the history; entries that no longer parse are dropped. */
export function historyCache(storage: KeyValueStorage): HistoryCachePort {
  return {
    load: () => {
      const value = readJson(storage, KEYS.history);
      if (!Array.isArray(value)) return null;
      return value.flatMap((entry) => {
        const parsed = HistoryEntry.safeParse(entry);
        return parsed.success ? [parsed.data] : [];
      });
    },
    save: (entries) => storage.setItem(KEYS.history, JSON.stringify(entries)),
    clear: () => storage.removeItem(KEYS.history),
  };
}

/**
 * The device id lives in sessionStorage: it survives reloads of a tab, and every tab is its own
 * device (two tabs sharing one id would keep replacing each other's connection on the server).
 */
export function deviceIdStore(storage: KeyValueStorage): DeviceIdStore {
  return {
    load: () => storage.getItem(KEYS.deviceId),
    save: (deviceId) => storage.setItem(KEYS.deviceId, deviceId),
  };
}

/** A Map-backed storage for tests and for browsers where storage is blocked. */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, String(value)),
    removeItem: (key) => void map.delete(key),
  };
}
