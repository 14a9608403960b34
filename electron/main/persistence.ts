import type { HistoryEntry } from '../../shared/protocol';
import { HistoryEntry as HistoryEntrySchema } from '../../shared/protocol';
import type { HistoryCachePort, SessionStorePort, SettingsStorePort, StoredSession } from '../../shared/host';
import type { DeviceIdStore } from '../../shared/host';
import type { Settings } from '../../shared/settings';
import Conf from 'conf';
import { z } from 'zod';

/** The key-value store underneath (a JSON file through conf in the app, a Map in tests). */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/**
 * `<dir>/softphone.json` through conf, the library electron-store is built on (same file format,
 * so an existing profile keeps its data). electron-store itself is not used: its constructor
 * registers the ipcMain channel `electron-store-get-data`, which any renderer could call without
 * the app's sender check.
 */
export function jsonFileStore(dir: string): KeyValueStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'softphone', projectName: 'softphone', accessPropertiesByDotNotation: false });
  return { get: (key) => conf.get(key), set: (key, value) => conf.set(key, value), delete: (key) => conf.delete(key) };
}

/** The part of Electron's safeStorage used for the tokens. */
export interface SecretBox {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const KEYS = { settings: 'settings', session: 'session', history: 'historyCache', deviceId: 'deviceId' } as const;

export function settingsStore(kv: KeyValueStore): SettingsStorePort {
  return { load: () => kv.get(KEYS.settings), save: (settings: Settings) => kv.set(KEYS.settings, settings) };
}

const StoredSessionSchema = z.object({
  serverUrl: z.string(),
  user: z.object({ userId: z.string(), username: z.string(), displayName: z.string() }),
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
});

/**
 * The session (tokens) encrypted with safeStorage. Where the platform offers no encryption the
 * session is kept in memory only: the user signs in again after a restart rather than leaving
 * tokens readable on disk.
 */
export function sessionStore(kv: KeyValueStore, box: SecretBox, warn: (message: string) => void): SessionStorePort {
  let memoryOnly: StoredSession | null = null;
  return {
    load() {
      if (!box.isEncryptionAvailable()) return memoryOnly;
      const stored = kv.get(KEYS.session);
      if (typeof stored !== 'string') return null;
      try {
        const parsed = StoredSessionSchema.safeParse(JSON.parse(box.decryptString(Buffer.from(stored, 'base64'))));
        return parsed.success ? parsed.data : null;
      } catch {
        warn('the stored session could not be decrypted; signing in again is needed');
        return null;
      }
    },
    save(session) {
      if (!box.isEncryptionAvailable()) {
        warn('safeStorage is not available: the session is kept in memory only');
        memoryOnly = session;
        return;
      }
      kv.set(KEYS.session, box.encryptString(JSON.stringify(session)).toString('base64'));
    },
    clear() {
      memoryOnly = null;
      kv.delete(KEYS.session);
    },
  };
}

export function historyCacheStore(kv: KeyValueStore): HistoryCachePort {
  return {
    load() {
      const parsed = z.array(HistoryEntrySchema).safeParse(kv.get(KEYS.history));
      return parsed.success ? parsed.data : null;
    },
    save: (entries: HistoryEntry[]) => kv.set(KEYS.history, entries),
    clear: () => kv.delete(KEYS.history),
  };
}

export function deviceIdStore(kv: KeyValueStore): DeviceIdStore {
  return {
    load: () => {
      const value = kv.get(KEYS.deviceId);
      return typeof value === 'string' ? value : null;
    },
    save: (deviceId) => kv.set(KEYS.deviceId, deviceId),
  };
}
