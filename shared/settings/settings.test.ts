import { describe, expect, it } from 'vitest';
import { SETTINGS_MIGRATION_VERSIONS, SETTINGS_VERSION, Settings, SettingsPatch, applySettingsPatch, defaultSettings, migrateSettings } from './index';

describe('settings schema', () => {
  it('accepts the defaults and has every shortcut off', () => {
    const settings = Settings.parse(defaultSettings());
    expect(settings.shortcuts).toEqual({ answer: null, declineOrHangup: null, toggleMute: null, toggleAvailable: null });
    expect(settings.deepLinks).toEqual({ tel: false, callto: false });
  });

  it.each([
    ['serverUrl', 'ftp://example.com'],
    ['serverUrl', 'javascript:alert(1)'],
    ['status', 'sometimes'],
    ['dndMode', 'off'],
    ['callVolume', 101],
    ['callVolume', 0.5],
    ['language', 'fr'],
    ['blocklist', ['Not A Username']],
    ['shortcuts', { answer: 'A', declineOrHangup: null, toggleMute: null, toggleAvailable: null }],
    ['shortcuts', { answer: 'Ctrl+Shift+', declineOrHangup: null, toggleMute: null, toggleAvailable: null }],
  ])('rejects %s = %j', (key, value) => {
    expect(Settings.safeParse({ ...defaultSettings(), [key]: value }).success).toBe(false);
  });

  it('accepts accelerators with modifiers', () => {
    const patch = SettingsPatch.parse({ shortcuts: { answer: 'CommandOrControl+Shift+A', toggleMute: 'Alt+F9' } });
    const next = applySettingsPatch(defaultSettings(), patch);
    expect(next.shortcuts).toEqual({ answer: 'CommandOrControl+Shift+A', declineOrHangup: null, toggleMute: 'Alt+F9', toggleAvailable: null });
  });

  it('merges nested groups one level deep and de-duplicates the blocklist', () => {
    const start = applySettingsPatch(defaultSettings(), { devices: { cameraId: 'cam-1' } });
    const next = applySettingsPatch(start, { devices: { microphoneId: 'mic-2' }, blocklist: ['eve', 'eve', 'mallory'] });
    expect(next.devices).toEqual({ microphoneId: 'mic-2', cameraId: 'cam-1', speakerId: null });
    expect(next.blocklist).toEqual(['eve', 'mallory']);
    expect(start.devices.microphoneId).toBeNull();
  });

  it('refuses unknown keys and the version in a patch', () => {
    expect(SettingsPatch.safeParse({ version: 3 }).success).toBe(false);
    expect(SettingsPatch.safeParse({ token: 'x' }).success).toBe(false);
  });
});

describe('settings migrations', () => {
  it('has a step from every older version', () => {
    expect(SETTINGS_MIGRATION_VERSIONS.sort()).toEqual(Array.from({ length: SETTINGS_VERSION }, (_, i) => i));
  });

  it('gives defaults when nothing is stored', () => {
    expect(migrateSettings(undefined)).toEqual({ settings: defaultSettings(), migratedFrom: null, resetFields: [] });
    expect(migrateSettings('garbage').settings).toEqual(defaultSettings());
  });

  it('upgrades an unversioned document (flat devices, boolean dnd)', () => {
    const stored = { serverUrl: 'https://phone.example.com', micId: 'mic-9', dnd: true, blocklist: ['eve'], callWaiting: false };
    const { settings, migratedFrom, resetFields } = migrateSettings(stored);
    expect(migratedFrom).toBe(0);
    expect(resetFields).toEqual([]);
    expect(settings).toEqual({
      ...defaultSettings(),
      serverUrl: 'https://phone.example.com',
      devices: { microphoneId: 'mic-9', cameraId: null, speakerId: null },
      status: 'dnd',
      dndMode: 'reject',
      blocklist: ['eve'],
      callWaiting: false,
    });
    expect(stored).toEqual({ serverUrl: 'https://phone.example.com', micId: 'mic-9', dnd: true, blocklist: ['eve'], callWaiting: false });
  });

  it('upgrades version 1 (dnd false -> available) and keeps current documents as they are', () => {
    expect(migrateSettings({ version: 1, dnd: false, ringtone: 'soft' }).settings).toMatchObject({ status: 'available', dndMode: 'reject', ringtone: 'soft' });
    const current = { ...defaultSettings(), language: 'zh-CN' as const };
    expect(migrateSettings(current)).toEqual({ settings: current, migratedFrom: SETTINGS_VERSION, resetFields: [] });
  });

  it('upgrades version 2: dnd becomes the chosen status and the do-not-disturb mode; the call volume starts full', () => {
    const v2 = { ...defaultSettings(), version: 2, dnd: 'silent' } as Record<string, unknown>;
    delete v2.status;
    delete v2.dndMode;
    delete v2.callVolume;
    expect(migrateSettings(v2)).toMatchObject({ settings: { status: 'dnd', dndMode: 'silent', callVolume: 100 }, migratedFrom: 2, resetFields: [] });
    expect(migrateSettings({ ...v2, dnd: 'off' }).settings).toMatchObject({ status: 'available', dndMode: 'reject' });
    expect(migrateSettings({ ...v2, dnd: 'reject' }).settings).toMatchObject({ status: 'dnd', dndMode: 'reject' });
    expect(migrateSettings(v2).settings).not.toHaveProperty('dnd');
  });

  it('upgrades version 3: away gets the reason "break" and the toggle-available shortcut starts off, other shortcuts kept', () => {
    const v3 = { ...defaultSettings(), version: 3, status: 'away', shortcuts: { answer: 'Ctrl+Shift+A', declineOrHangup: null, toggleMute: null } } as Record<string, unknown>;
    delete v3.awayReason;
    const { settings, migratedFrom, resetFields } = migrateSettings(v3);
    expect({ migratedFrom, resetFields }).toEqual({ migratedFrom: 3, resetFields: [] });
    expect(settings).toMatchObject({ status: 'away', awayReason: 'break', shortcuts: { answer: 'Ctrl+Shift+A', declineOrHangup: null, toggleMute: null, toggleAvailable: null } });
  });

  it('upgrades version 4: auto-answer for line calls starts off, the rest kept', () => {
    const v4 = { ...defaultSettings(), version: 4, status: 'away', awayReason: 'lunch', callWaiting: false } as Record<string, unknown>;
    delete v4.autoAnswerLineCalls;
    const { settings, migratedFrom, resetFields } = migrateSettings(v4);
    expect({ migratedFrom, resetFields }).toEqual({ migratedFrom: 4, resetFields: [] });
    expect(settings).toMatchObject({ version: 5, status: 'away', awayReason: 'lunch', callWaiting: false, autoAnswerLineCalls: false });
  });

  it('resets only the invalid fields and reports them', () => {
    const { settings, resetFields } = migrateSettings({ ...defaultSettings(), serverUrl: 'nope', language: 'klingon', callWaiting: false });
    expect(resetFields.sort()).toEqual(['language', 'serverUrl']);
    expect(settings.serverUrl).toBe(defaultSettings().serverUrl);
    expect(settings.callWaiting).toBe(false);
  });

  it('salvages a document written by a newer version', () => {
    const { settings, migratedFrom } = migrateSettings({ ...defaultSettings(), version: 99, futureThing: 1, dndMode: 'silent' });
    expect(migratedFrom).toBe(99);
    expect(settings.dndMode).toBe('silent');
    expect(settings.version).toBe(SETTINGS_VERSION);
  });
});
