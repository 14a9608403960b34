import { LogOut, Play, Square } from 'lucide-react';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsPatch } from '../../../shared/settings';
import { DeviceSelect } from '../components/device-select';
import { errorText } from '../components/error-text';
import { Field } from '../components/field';
import { useDevices } from '../components/use-devices';
import { ringOutputs } from '../media/ringer';
import { playOnOutputs, type PlayingTone } from '../media/tone-player';
import { RINGTONES } from '../media/tones';
import { useAppState, useServices } from '../state/app-context';
import { checkServerUrl, checkShortcut, checkUsername } from '../ui/validation';
import { Checkbox, Select, TextSetting } from './settings-fields';
import { TestCall } from './test-call';

type Update = (patch: SettingsPatch) => Promise<boolean>;

/** Devices, ringtone, and the test call. */
export function AudioVideoSettings({ update }: { update: Update }) {
  const { t } = useTranslation();
  const { settings } = useAppState();
  const devices = useDevices();
  const [previewing, setPreviewing] = useState(false);
  const preview = useRef<Promise<PlayingTone> | null>(null);
  useEffect(() => () => void preview.current?.then((p) => p.stop()), []);
  if (!settings) return null;

  async function togglePreview() {
    if (previewing && preview.current) {
      void preview.current.then((p) => p.stop());
      preview.current = null;
      setPreviewing(false);
      return;
    }
    preview.current = playOnOutputs(RINGTONES[settings!.ringtone], await ringOutputs(settings!));
    setPreviewing(true);
  }

  return (
    <>
      <h2 className="section-title">{t('settings.devices')}</h2>
      <DeviceSelect label={t('settings.microphone')} devices={devices.microphones} value={settings.devices.microphoneId} onChange={(id) => void update({ devices: { microphoneId: id } })} />
      <DeviceSelect label={t('settings.camera')} devices={devices.cameras} value={settings.devices.cameraId} onChange={(id) => void update({ devices: { cameraId: id } })} />
      <DeviceSelect label={t('settings.speaker')} devices={devices.speakers} value={settings.devices.speakerId} onChange={(id) => void update({ devices: { speakerId: id } })} />
      <h2 className="section-title">{t('settings.ringing')}</h2>
      <DeviceSelect label={t('settings.ringer')} devices={devices.speakers} value={settings.ringerDeviceId} onChange={(id) => void update({ ringerDeviceId: id })} />
      <Checkbox label={t('settings.ringOnAllOutputs')} checked={settings.ringOnAllOutputs} onChange={(v) => void update({ ringOnAllOutputs: v })} />
      <Select
        label={t('settings.ringtone')}
        value={settings.ringtone}
        options={(['classic', 'digital', 'soft'] as const).map((value) => ({ value, label: t(`settings.ringtones.${value}`) }))}
        onChange={(ringtone) => void update({ ringtone })}
      >
        <button type="button" className="btn" aria-pressed={previewing} onClick={() => void togglePreview()}>
          {previewing ? <Square size={16} /> : <Play size={16} />}
          {previewing ? t('settings.stopPreview') : t('settings.previewRingtone')}
        </button>
      </Select>
      <TestCall />
    </>
  );
}

/** Do not disturb's mode, call waiting, blocked users. */
export function CallSettings({ update }: { update: Update }) {
  const { t } = useTranslation();
  const { settings, snapshot } = useAppState();
  const [block, setBlock] = useState('');
  const [tried, setTried] = useState(false);
  if (!settings) return null;
  const problem = checkUsername(block);

  async function addBlocked(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (problem) return;
    if (await update({ blocklist: [...settings!.blocklist, block.trim().toLowerCase()] })) {
      setBlock('');
      setTried(false);
    }
  }

  return (
    <>
      <Select
        label={t('settings.dndMode')}
        value={settings.dndMode}
        hint={t('settings.dndModeHint')}
        options={(['reject', 'silent'] as const).map((value) => ({ value, label: t(`settings.dndModes.${value}`) }))}
        onChange={(dndMode) => void update({ dndMode })}
      />
      <Checkbox label={t('settings.callWaiting')} note={t('settings.callWaitingHint')} checked={settings.callWaiting} onChange={(v) => void update({ callWaiting: v })} />
      {snapshot?.agent && (
        <Checkbox
          label={t('settings.autoAnswerLineCalls')}
          note={t('settings.autoAnswerLineCallsHint')}
          checked={settings.autoAnswerLineCalls}
          onChange={(v) => void update({ autoAnswerLineCalls: v })}
        />
      )}
      <h2 className="section-title" id="blocklist-title">
        {t('settings.blocklist')}
      </h2>
      {settings.blocklist.length === 0 ? (
        <p className="muted small">{t('settings.noBlocked')}</p>
      ) : (
        <ul className="blocklist" aria-labelledby="blocklist-title">
          {settings.blocklist.map((name) => (
            <li key={name}>
              <span>@{name}</span>
              <button type="button" className="btn" onClick={() => void update({ blocklist: settings.blocklist.filter((n) => n !== name) })}>
                {t('settings.unblock', { name })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="text-setting" onSubmit={(e) => void addBlocked(e)} noValidate>
        <Field
          label={t('settings.blockUser')}
          value={block}
          onChange={setBlock}
          placeholder={t('settings.blockPlaceholder')}
          autoCapitalize="none"
          error={tried && problem ? t(`validation.${problem}`) : null}
          addon={
            <button type="submit" className="btn">
              {t('settings.block')}
            </button>
          }
        />
      </form>
    </>
  );
}

/** Language, start at login, global shortcuts. */
export function GeneralSettings({ update }: { update: Update }) {
  const { t } = useTranslation();
  const { settings, host } = useAppState();
  if (!settings) return null;
  const capabilities = host?.capabilities;
  return (
    <>
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
      <h2 className="section-title">{t('settings.shortcuts')}</h2>
      {!capabilities?.globalShortcuts && <p className="muted small">{t('settings.shortcutsUnavailable')}</p>}
      {(
        [
          ['answer', 'settings.shortcutAnswer'],
          ['declineOrHangup', 'settings.shortcutDeclineOrHangup'],
          ['toggleMute', 'settings.shortcutToggleMute'],
          ['toggleAvailable', 'settings.shortcutToggleAvailable'],
        ] as const
      ).map(([key, label]) => (
        <TextSetting
          key={key}
          label={t(label)}
          value={settings.shortcuts[key] ?? ''}
          placeholder={t('settings.shortcutPlaceholder')}
          disabled={!capabilities?.globalShortcuts}
          check={checkShortcut}
          onSave={(value) => update({ shortcuts: { [key]: value === '' ? null : value } })}
        />
      ))}
    </>
  );
}

/** Who is signed in, the server, diagnostics, sign-out. */
export function AccountSettings({ update, onError }: { update: Update; onError: (message: string) => void }) {
  const { t } = useTranslation();
  const { bridge, store } = useServices();
  const { settings, snapshot } = useAppState();
  const [copied, setCopied] = useState(false);
  if (!settings) return null;
  const user = snapshot?.user;

  async function copyDiagnostics() {
    const result = await bridge.invoke('diagnostics.copy', {});
    if (!result.ok) return onError(errorText(t, result.error));
    if (!result.value.copied) await navigator.clipboard?.writeText(result.value.text).catch(() => undefined);
    setCopied(true);
  }

  return (
    <>
      {user && (
        <p className="account-line">
          {t('settings.signedInAs', { name: user.displayName, username: user.username })}
        </p>
      )}
      <TextSetting label={t('settings.serverUrl')} value={settings.serverUrl} check={checkServerUrl} onSave={(serverUrl) => update({ serverUrl })} />
      <div className="row">
        <button type="button" className="btn" onClick={() => void copyDiagnostics()}>
          {t('settings.diagnostics')}
        </button>
        <button
          type="button"
          className="btn"
          onClick={async () => {
            await bridge.invoke('auth.logout', {});
            await store.refreshSession();
          }}
        >
          <LogOut size={16} />
          {t('nav.signOut')}
        </button>
      </div>
      <p role="status" className="muted small">
        {copied ? t('settings.diagnosticsCopied') : ''}
      </p>
    </>
  );
}
