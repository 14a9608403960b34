import { z } from 'zod';
import { ChosenAwayReason, Username } from '../protocol';

/** The current version of the stored settings document. Bump it together with a migration in migrations.ts. */
export const SETTINGS_VERSION = 5;

/** The local signalling service that `npm start` runs. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4600';

/** An http(s) origin (optionally with a path) of the signalling service. */
export const ServerUrl = z
  .string()
  .trim()
  .max(2_048)
  .url()
  .refine((value) => /^https?:\/\//i.test(value), 'the server URL must start with http:// or https://');

/** A media device id from enumerateDevices(); null means the system default. */
const DeviceIdOrDefault = z.string().max(512).nullable();

const MODIFIERS = '(?:Command|Cmd|Control|Ctrl|CommandOrControl|CmdOrCtrl|Alt|Option|AltGr|Shift|Super|Meta)';
const KEYS = '(?:[A-Z0-9]|F(?:[1-9]|1[0-9]|2[0-4])|Space|Tab|Enter|Return|Backspace|Delete|Insert|Home|End|PageUp|PageDown|Up|Down|Left|Right|Esc|Escape|Plus|num[0-9])';
/** An Electron accelerator with at least one modifier (a bare key would swallow typing system-wide). */
export const Accelerator = z
  .string()
  .max(64)
  .regex(new RegExp(`^(?:${MODIFIERS}\\+)+${KEYS}$`), 'a shortcut such as CommandOrControl+Shift+A (at least one modifier and one key)');

export const ShortcutSettings = z
  .object({
    /** Answer the ringing call (audio). */
    answer: Accelerator.nullable(),
    /** Decline the ringing call, or hang up the active one. */
    declineOrHangup: Accelerator.nullable(),
    toggleMute: Accelerator.nullable(),
    /** A support-line agent (issue 14): available <-> away (with `awayReason`); in wrap-up it finishes the wrap-up. */
    toggleAvailable: Accelerator.nullable(),
  })
  .strict();
export type ShortcutSettings = z.infer<typeof ShortcutSettings>;

/**
 * The status the user chooses (the header's status selector): calls ring when available or away;
 * do not disturb applies `dndMode`. Others see it as presence (online, away, dnd). New states (the
 * agent states of a support line) are added here and in the renderer's status list.
 */
export const USER_STATUSES = ['available', 'away', 'dnd'] as const;
export const UserStatus = z.enum(USER_STATUSES);
export type UserStatus = z.infer<typeof UserStatus>;

/** What do not disturb does to an incoming call. */
export const DndMode = z.enum(['reject', 'silent']);
export type DndMode = z.infer<typeof DndMode>;

export const Language = z.enum(['system', 'en', 'zh-CN']);
export type Language = z.infer<typeof Language>;

export const RINGTONES = ['classic', 'digital', 'soft'] as const;
export const Ringtone = z.enum(RINGTONES);

export const Settings = z
  .object({
    version: z.literal(SETTINGS_VERSION),
    serverUrl: ServerUrl,
    devices: z.object({ microphoneId: DeviceIdOrDefault, cameraId: DeviceIdOrDefault, speakerId: DeviceIdOrDefault }).strict(),
    ringtone: Ringtone,
    /** Output device the ringtone plays on (null: the system default). */
    ringerDeviceId: DeviceIdOrDefault,
    /** Ring on every audio output at once (headset and speakers). */
    ringOnAllOutputs: z.boolean(),
    status: UserStatus,
    /** The reason that goes with `away` (a support-line agent shows it; the shortcut and the tray's Away use it). */
    awayReason: ChosenAwayReason,
    dndMode: DndMode,
    /** Volume of the other side's audio in calls, 0-100. */
    callVolume: z.number().int().min(0).max(100),
    blocklist: z.array(Username).max(1_000),
    callWaiting: z.boolean(),
    /**
     * A support-line agent's line calls answer by themselves after a short ring while the agent is
     * available (issue 14). Kept on this device, not on the server: it depends on this device's headset.
     */
    autoAnswerLineCalls: z.boolean(),
    startAtLogin: z.boolean(),
    /** Global shortcuts: each is off (null) until the user sets it. */
    shortcuts: ShortcutSettings,
    language: Language,
    /** Register the app as the handler of tel: and callto: links (opt-in). softphone: is always registered. */
    deepLinks: z.object({ tel: z.boolean(), callto: z.boolean() }).strict(),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    serverUrl: DEFAULT_SERVER_URL,
    devices: { microphoneId: null, cameraId: null, speakerId: null },
    ringtone: 'classic',
    ringerDeviceId: null,
    ringOnAllOutputs: false,
    status: 'available',
    awayReason: 'break',
    dndMode: 'reject',
    callVolume: 100,
    blocklist: [],
    callWaiting: true,
    autoAnswerLineCalls: false,
    startAtLogin: false,
    shortcuts: { answer: null, declineOrHangup: null, toggleMute: null, toggleAvailable: null },
    language: 'system',
    deepLinks: { tel: false, callto: false },
  };
}

/**
 * A change requested by the user: any subset of the top-level fields; the nested groups
 * (devices, shortcuts, deepLinks) may be given partially and are merged one level deep.
 */
export const SettingsPatch = z
  .object({
    serverUrl: ServerUrl,
    devices: Settings.shape.devices.partial(),
    ringtone: Ringtone,
    ringerDeviceId: DeviceIdOrDefault,
    ringOnAllOutputs: z.boolean(),
    status: UserStatus,
    awayReason: ChosenAwayReason,
    dndMode: DndMode,
    /** Volume of the other side's audio in calls, 0-100. */
    callVolume: z.number().int().min(0).max(100),
    blocklist: Settings.shape.blocklist,
    callWaiting: z.boolean(),
    autoAnswerLineCalls: z.boolean(),
    startAtLogin: z.boolean(),
    shortcuts: ShortcutSettings.partial(),
    language: Language,
    deepLinks: Settings.shape.deepLinks.partial(),
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

const NESTED = ['devices', 'shortcuts', 'deepLinks'] as const;

/** Applies a validated patch and returns the new settings (the input is not modified). Blocklist is de-duplicated. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const next: Record<string, unknown> = { ...current, ...patch };
  for (const key of NESTED) {
    if (patch[key]) next[key] = { ...current[key], ...patch[key] };
  }
  if (patch.blocklist) next.blocklist = [...new Set(patch.blocklist)];
  return Settings.parse(next);
}
