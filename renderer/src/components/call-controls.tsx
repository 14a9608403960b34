import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScreenSource } from '../../../shared/bridge';
import type { CallView } from '../../../shared/phone/api';
import type { CallMediaView } from '../media/call-session';
import { captureDisplay, captureSource, listScreenSources } from '../media/screen-capture';
import { useAppState, useServices } from '../state/app-context';
import { DeviceSelect } from './device-select';
import { errorText } from './error-text';
import { ScreenPicker } from './screen-picker';
import { useDevices } from './use-devices';

/** Mute, camera, hold, screen sharing, devices and hang up for the call on screen. */
export function CallControls({ call, media }: { call: CallView; media: CallMediaView | null }) {
  const { t } = useTranslation();
  const services = useServices();
  const { bridge } = services;
  const callMedia = services.media;
  const { settings, host } = useAppState();
  const devices = useDevices();
  const [error, setError] = useState<string | null>(null);
  const [sources, setSources] = useState<ScreenSource[] | null>(null);
  const [showDevices, setShowDevices] = useState(false);
  const active = call.phase === 'active';
  const callId = call.callId;

  const attempt = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorText(t, e instanceof Error ? { code: (e as { code?: string }).code ?? 'INTERNAL', message: e.message } : e));
    }
  };

  async function shareScreen() {
    if (!callMedia) return;
    if (media?.sharingScreen) return attempt(() => callMedia.stopScreenShare(callId));
    if (host?.capabilities.screenSources) return attempt(async () => setSources(await listScreenSources(bridge)));
    return attempt(async () => callMedia.startScreenShare(callId, await captureDisplay()));
  }

  const setDevice = (patch: { microphoneId?: string | null; cameraId?: string | null; speakerId?: string | null }) =>
    void bridge.invoke('settings.update', { devices: patch });

  return (
    <div className="call-controls">
      {active && media && (
        <>
          <button type="button" className="control" onClick={() => callMedia?.setMuted(callId, !media.muted)}>
            {media.muted ? t('call.unmute') : t('call.mute')}
          </button>
          <button type="button" className="control" onClick={() => void attempt(async () => callMedia?.setCameraOn(callId, !media.cameraOn))}>
            {media.cameraOn ? t('call.cameraOff') : t('call.cameraOn')}
          </button>
          <button type="button" className="control" onClick={() => void bridge.invoke('phone.hold', { callId, held: !call.held })}>
            {call.held ? t('call.resume') : t('call.hold')}
          </button>
          <button type="button" className="control" onClick={() => void shareScreen()}>
            {media.sharingScreen ? t('call.stopSharing') : t('call.shareScreen')}
          </button>
          <button type="button" className="control" aria-expanded={showDevices} aria-controls="call-devices" onClick={() => setShowDevices((v) => !v)}>
            {t('call.devices')}
          </button>
        </>
      )}
      <button type="button" className="control hang-up" onClick={() => void bridge.invoke('phone.end', { callId, reason: 'hangup' })}>
        {t('call.hangUp')}
      </button>
      {showDevices && settings && (
        <div id="call-devices" className="call-devices">
          <DeviceSelect label={t('call.microphone')} devices={devices.microphones} value={settings.devices.microphoneId} onChange={(id) => setDevice({ microphoneId: id })} />
          <DeviceSelect label={t('call.camera')} devices={devices.cameras} value={settings.devices.cameraId} onChange={(id) => setDevice({ cameraId: id })} />
          <DeviceSelect label={t('call.speaker')} devices={devices.speakers} value={settings.devices.speakerId} onChange={(id) => setDevice({ speakerId: id })} />
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {sources && (
        <ScreenPicker
          sources={sources}
          onCancel={() => setSources(null)}
          onPick={(id) => {
            setSources(null);
            void attempt(async () => callMedia?.startScreenShare(callId, await captureSource(id)));
          }}
        />
      )}
    </div>
  );
}
