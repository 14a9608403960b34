import { Settings, SETTINGS_VERSION, defaultSettings, type Settings as SettingsValue } from './schema';

/**
 * Stored settings documents are upgraded one version at a time by pure functions, then
 * validated field by field: a field that is still invalid falls back to its default (and is
 * reported) so one bad value never throws away the rest of the user's settings.
 *
 * Version history:
 * - 0: unversioned (pre-release): `dnd` was a boolean, devices were flat (`micId`, `cameraId`, `speakerId`).
 * - 1: `version: 1`, nested `devices`, `dnd: boolean` still, no shortcuts/language/deep links.
 * - 2: `dnd` is 'off' | 'reject' | 'silent'; shortcuts, language and deep-link handlers added.
 * - 3: `dnd` split into the chosen `status` ('available' | 'away' | 'dnd') and `dndMode`
 *   ('reject' | 'silent', kept while not in do not disturb); `callVolume` added.
 * - 4: `awayReason` (the reason that goes with away, for support-line agents) and the
 *   `shortcuts.toggleAvailable` shortcut (off) added.
 * - 5: `autoAnswerLineCalls` (off) added: a support-line agent's auto-answer, per device.
 */

type Doc = Record<string, unknown>;
type Migration = (doc: Doc) => Doc;

const MIGRATIONS: Record<number, Migration> = {
  0: (doc) => {
    const { micId, cameraId, speakerId, ...rest } = doc;
    return { ...rest, version: 1, devices: { microphoneId: micId ?? null, cameraId: cameraId ?? null, speakerId: speakerId ?? null } };
  },
  1: (doc) => {
    const dnd = doc.dnd === true ? 'reject' : doc.dnd === false || doc.dnd === undefined ? 'off' : doc.dnd;
    return { ...doc, version: 2, dnd };
  },
  2: (doc) => {
    const { dnd, ...rest } = doc;
    return { ...rest, version: 3, status: dnd === 'reject' || dnd === 'silent' ? 'dnd' : 'available', dndMode: dnd === 'silent' ? 'silent' : 'reject' };
  },
  3: (doc) => ({ ...doc, version: 4, awayReason: 'break', ...(isRecord(doc.shortcuts) ? { shortcuts: { ...doc.shortcuts, toggleAvailable: null } } : {}) }),
  4: (doc) => ({ ...doc, version: 5, autoAnswerLineCalls: false }),
};

export interface MigrationResult {
  settings: SettingsValue;
  /** The version the document had before (null when there was no document). */
  migratedFrom: number | null;
  /** Fields that were invalid and were reset to their defaults. */
  resetFields: string[];
}

function isRecord(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function versionOf(doc: Doc): number {
  const version = doc.version;
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
}

/** Upgrades any stored document (or nothing) to the current settings. Pure: never throws, never mutates its input. */
export function migrateSettings(stored: unknown): MigrationResult {
  if (!isRecord(stored)) return { settings: defaultSettings(), migratedFrom: null, resetFields: [] };
  const from = versionOf(stored);
  if (from > SETTINGS_VERSION) {
    // Written by a newer app: keep what still validates, default the rest.
    return { ...salvage({ ...stored, version: SETTINGS_VERSION }), migratedFrom: from };
  }
  let doc: Doc = structuredCloneDoc(stored);
  for (let version = from; version < SETTINGS_VERSION; version += 1) {
    const migration = MIGRATIONS[version];
    if (!migration) throw new Error(`missing settings migration from version ${version}`);
    doc = migration(doc);
  }
  return { ...salvage(doc), migratedFrom: from };
}

function structuredCloneDoc(doc: Doc): Doc {
  return JSON.parse(JSON.stringify(doc)) as Doc;
}

function salvage(doc: Doc): Pick<MigrationResult, 'settings' | 'resetFields'> {
  const defaults = defaultSettings() as unknown as Doc;
  const result: Doc = { version: SETTINGS_VERSION };
  const resetFields: string[] = [];
  for (const [key, schema] of Object.entries(Settings.shape)) {
    if (key === 'version') continue;
    const parsed = schema.safeParse(doc[key]);
    if (parsed.success) {
      result[key] = parsed.data;
    } else {
      result[key] = defaults[key];
      if (doc[key] !== undefined) resetFields.push(key);
    }
  }
  return { settings: Settings.parse(result), resetFields };
}

/** The migration table, exported so a test can check every version below the current one has a step. */
export const SETTINGS_MIGRATION_VERSIONS = Object.keys(MIGRATIONS).map(Number);
