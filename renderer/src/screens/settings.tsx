import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsPatch } from '../../../shared/settings';
import { DeviceSelect } from '../components/device-select';
import { errorText } from '../components/error-text';
import { useDevices } from '../components/use-devices';
import { ringOutputs } from '../media/ringer';
import { playOnOutputs, type PlayingTone } from '../media/tone-player';
import { RINGTONES } from '../media/tones';
import { useAppState, useServices } from '../state/app-context';
import { Checkbox, Select, TextSetting } from './settings-fields';
import { TestCall } from './test-call';

/** Devices, ringtone, DND and blocklist, call waiting, start at login, shortcuts, language, server. */
export function Settings() {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { settings, host } = useAppState();
  const devices = useDevices();
  const [error, setError] = useState<string | null>(null);
  const [block, setBlock] = useState('');
  const [previewing, setPreviewing] = useState(false);
  const [diagnostics, setDiagnostics] = useState<string | null>(null);
  const preview = useRef<Promise<PlayingTone> | null>(null);

  useEffect(() => () => void preview.current?.then((p) => p.stop()), []);
  if (!settings) return null;
  const capabilities = host?.capabilities;

  async function update(patch: SettingsPatch): Promise<boolean> {
    setError(null);
    const result = await bridge.invoke('settings.update', patch);
    if (!result.ok) setError(errorText(t, result.error));
    return result.ok;
  }

  async function togglePreview() {
    if (previewing && preview.current) {
      void preview.current.then((p) => p.stop());
      preview.current = null;
      setPreviewing(false);
      return;
    }
    const sinks = await ringOutputs(settings!);
    preview.current = playOnOutputs(RINGTONES[settings!.ringtone], sinks);
    setPreviewing(true);
  }

  async function addBlocked(event: FormEvent) {
    event.preventDefault();
    const username = block.trim().toLowerCase();
    if (!username) return;
    if (await update({ blocklist: [...settings!.blocklist, username] })) setBlock('');
  }

  async function copyDiagnostics() {
    const result = await bridge.invoke('diagnostics.copy', {});
    if (!result.ok) return setError(errorText(t, result.error));
    if (!result.value.copied) await navigator.clipboard?.writeText(result.value.text).catch(() => undefined);
    setDiagnostics(t('settings.diagnosticsCopied'));
  }

  return (
    <div className="settings">
      <h1 id="screen-title" tabIndex={-1}>
        {t('settings.title')}
      </h1>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="devices-title">
        <h2 id="devices-title">{t('settings.devices')}</h2>
        <DeviceSelect label={t('settings.microphone')} devices={devices.microphones} value={settings.devices.microphoneId} onChange={(id) => void update({ devices: { microphoneId: id } })} />
        <DeviceSelect label={t('settings.camera')} devices={devices.cameras} value={settings.devices.cameraId} onChange={(id) => void update({ devices: { cameraId: id } })} />
        <DeviceSelect label={t('settings.speaker')} devices={devices.speakers} value={settings.devices.speakerId} onChange={(id) => void update({ devices: { speakerId: id } })} />
        <DeviceSelect label={t('settings.ringer')} devices={devices.speakers} value={settings.ringerDeviceId} onChange={(id) => void update({ ringerDeviceId: id })} />
        <Checkbox label={t('settings.ringOnAllOutputs')} checked={settings.ringOnAllOutputs} onChange={(v) => void update({ ringOnAllOutputs: v })} />
        <Select
          label={t('settings.ringtone')}
          value={settings.ringtone}
          options={(['classic', 'digital', 'soft'] as const).map((value) => ({ value, label: t(`settings.ringtones.${value}`) }))}
          onChange={(ringtone) => void update({ ringtone })}
        >
          <button type="button" className="button" onClick={() => void togglePreview()}>
            {previewing ? t('settings.stopPreview') : t('settings.previewRingtone')}
          </button>
        </Select>
      </section>

      <section aria-labelledby="calls-title">
        <h2 id="calls-title">{t('settings.calls')}</h2>
        <Select
          label={t('settings.dnd')}
          value={settings.dnd}
          options={(['off', 'reject', 'silent'] as const).map((value) => ({ value, label: t(`settings.dndModes.${value}`) }))}
          onChange={(dnd) => void update({ dnd })}
        />
        <Checkbox label={t('settings.callWaiting')} checked={settings.callWaiting} onChange={(v) => void update({ callWaiting: v })} />
        <h3 id="blocklist-title">{t('settings.blocklist')}</h3>
        {settings.blocklist.length === 0 ? (
          <p className="muted">{t('settings.noBlocked')}</p>
        ) : (
          <ul className="blocklist" aria-labelledby="blocklist-title">
            {settings.blocklist.map((name) => (
              <li key={name}>
                <span>{name}</span>
                <button type="button" className="button" onClick={() => void update({ blocklist: settings.blocklist.filter((n) => n !== name) })}>
                  {t('settings.unblock', { name })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="field inline" onSubmit={(e) => void addBlocked(e)}>
          <label htmlFor="block-user">{t('settings.blockUser')}</label>
          <input id="block-user" value={block} onChange={(e) => setBlock(e.target.value)} placeholder={t('settings.blockPlaceholder')} autoCapitalize="none" />
          <button type="submit" className="button">
            {t('settings.blockUser')}
          </button>
        </form>
      </section>

      <section aria-labelledby="general-title">
        <h2 id="general-title">{t('settings.general')}</h2>
        <Select
          label={t('settings.language')}
          value={settings.language}
          options={(['system', 'en', 'zh-CN'] as const).map((value) => ({ value, label: t(`settings.languages.${value}`) }))}
          onChange={(language) => void update({ language })}
        />
        <Checkbox
          label={t('settings.startAtLogin')}
          checked={settings.startAtLogin}
          disabled={!capabilities?.startAtLogin}
          note={capabilities?.startAtLogin ? undefined : t('settings.notAvailableHere')}
          onChange={(v) => void update({ startAtLogin: v })}
        />
        <h3>{t('settings.shortcuts')}</h3>
        {!capabilities?.globalShortcuts && <p className="hint">{t('settings.shortcutsUnavailable')}</p>}
        {(
          [
            ['answer', 'settings.shortcutAnswer'],
            ['declineOrHangup', 'settings.shortcutDeclineOrHangup'],
            ['toggleMute', 'settings.shortcutToggleMute'],
          ] as const
        ).map(([key, label]) => (
          <TextSetting
            key={key}
            label={t(label)}
            value={settings.shortcuts[key] ?? ''}
            placeholder={t('settings.shortcutPlaceholder')}
            disabled={!capabilities?.globalShortcuts}
            onSave={(value) => update({ shortcuts: { [key]: value === '' ? null : value } })}
          />
        ))}
      </section>

      <section aria-labelledby="server-title">
        <h2 id="server-title">{t('settings.server')}</h2>
        <TextSetting label={t('settings.serverUrl')} value={settings.serverUrl} onSave={(serverUrl) => update({ serverUrl })} />
        <button type="button" className="button" onClick={() => void copyDiagnostics()}>
          {t('settings.diagnostics')}
        </button>
        {diagnostics && <p role="status">{diagnostics}</p>}
      </section>

      <TestCall />
    </div>
  );
}
