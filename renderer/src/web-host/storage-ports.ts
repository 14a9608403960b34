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

/** What the page keeps of a session: who and where, never a token. */
type RememberedSession = Pick<StoredSession, 'serverUrl' | 'user' | 'refreshTokenExpiresAt'>;

/**
 * The remembered session in localStorage, without its secrets: the refresh token is the service's
 * HttpOnly cookie (script cannot read it, so an XSS cannot carry it away) and the access token stays
 * in memory; after a reload the host gets a new one from the cookie. Tokens a previous version
 * stored here are removed on load. Cleared on sign-out.
 */
export function sessionStore(storage: KeyValueStorage): SessionStorePort {
  const remember = (session: RememberedSession) =>
    storage.setItem(KEYS.session, JSON.stringify({ serverUrl: session.serverUrl, user: session.user, refreshTokenExpiresAt: session.refreshTokenExpiresAt }));
  return {
    load: () => {
      const value = readJson(storage, KEYS.session) as (RememberedSession & Partial<StoredSession>) | undefined;
      if (!value || typeof value.serverUrl !== 'string' || !value.user || typeof value.refreshTokenExpiresAt !== 'string') return null;
      if (value.accessToken !== undefined || value.refreshToken !== undefined) remember(value);
      return { ...value, accessToken: '', accessTokenExpiresAt: new Date(0).toISOString(), refreshToken: '' };
    },
    save: remember,
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
