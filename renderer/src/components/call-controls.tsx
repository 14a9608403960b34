import { Grid3x3, Mic, MicOff, Pause, PhoneForwarded, PhoneOff, ScreenShare, ScreenShareOff, SlidersHorizontal, Video, VideoOff } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScreenSource } from '../../../shared/bridge';
import type { TransferMode } from '../../../shared/protocol';
import type { CallView } from '../../../shared/phone/api';
import type { CallMediaView } from '../media/call-session';
import { captureDisplay, captureSource, listScreenSources } from '../media/screen-capture';
import { playPattern } from '../media/tone-player';
import { dtmfTone } from '../media/tones';
import { useAppState, useServices } from '../state/app-context';
import { CALL_KEYS, useCallKeys } from '../ui/call-keys';
import { DeviceSelect } from './device-select';
import { DialPad } from './dial-pad';
import { errorText } from './error-text';
import { ScreenPicker } from './screen-picker';
import { ToggleButton } from './toggle-button';
import { TransferDialog } from './transfer-dialog';
import { useDevices } from './use-devices';
import { VolumeControl } from './volume-control';

type Panel = 'keypad' | 'devices' | 'transfer' | null;

/**
 * Mute, hold, camera, screen sharing, keypad, devices, transfer, volume and hang up for the call on screen (finding 6).
 * `inTransfer`: the call is a leg of an open transfer or a three-way call: its hold belongs to the transfer (Swap,
 * Split in the consult panel). `mayTransfer`: the server would accept a transfer of this call from this side
 * (shared/call/transfer-rule.ts): not while in a transfer, not a consult leg, not the customer of a line call, not a
 * party of a three-way call.
 */
export function CallControls(props: { call: CallView; media: CallMediaView | null; volume: number; onVolume: (value: number) => void; inTransfer: boolean; mayTransfer: boolean }) {
  const { call, media, volume, onVolume, inTransfer, mayTransfer } = props;
  const { t } = useTranslation();
  const services = useServices();
  const { bridge } = services;
  const callMedia = services.media;
  const { settings, host } = useAppState();
  const devices = useDevices();
  const [error, setError] = useState<string | null>(null);
  const [sources, setSources] = useState<ScreenSource[] | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  /** What Enter in the transfer dialog's search does with the first match: Consult unless opened with the blind key. */
  const [transferMode, setTransferMode] = useState<TransferMode>('consult');
  const [tones, setTones] = useState('');
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
  const pressKey = (key: string) => {
    if (!callMedia?.sendTones(callId, key)) return setError(t('call.tonesUnavailable'));
    setTones((typed) => (typed + key).slice(-24));
    const tone = dtmfTone(key);
    if (tone) void playPattern(tone, settings?.devices.speakerId ?? null);
  };
  const toggle = (next: Panel) => {
    if (next === 'transfer') setTransferMode('consult');
    setPanel((open) => (open === next ? null : next));
  };
  const canTransfer = active && media !== null && mayTransfer;
  const openTransfer = (mode: TransferMode) => () => {
    setTransferMode(mode);
    setPanel('transfer');
  };
  useCallKeys({ consult: canTransfer ? openTransfer('consult') : null, blind: canTransfer ? openTransfer('blind') : null });
  const setDevice = (patch: { microphoneId?: string | null; cameraId?: string | null; speakerId?: string | null }) => void bridge.invoke('settings.update', { devices: patch });

  return (
    <div className="call-controls">
      {active && media && (
        <div className="control-grid">
          <ToggleButton icon={Mic} pressedIcon={MicOff} label={t('call.mute')} pressed={call.muted} onClick={() => callMedia?.setMuted(callId, !call.muted)} />
          {!inTransfer && <ToggleButton icon={Pause} label={t('call.hold')} pressed={call.held} onClick={() => void bridge.invoke('phone.hold', { callId, held: !call.held })} />}
          <ToggleButton icon={VideoOff} pressedIcon={Video} label={t('call.camera')} pressed={media.cameraOn} onClick={() => void attempt(async () => callMedia?.setCameraOn(callId, !media.cameraOn))} />
          <ToggleButton icon={ScreenShare} pressedIcon={ScreenShareOff} label={t('call.shareScreen')} pressed={media.sharingScreen} onClick={() => void shareScreen()} />
          <ToggleButton icon={Grid3x3} label={t('call.keypad')} expanded={panel === 'keypad'} controls="call-keypad" onClick={() => toggle('keypad')} />
          <ToggleButton icon={SlidersHorizontal} label={t('call.devices')} expanded={panel === 'devices'} controls="call-devices" onClick={() => toggle('devices')} />
          {mayTransfer && (
            <ToggleButton
              icon={PhoneForwarded}
              label={t('transfer.button')}
              expanded={panel === 'transfer'}
              controls="transfer-dialog"
              keys={`${CALL_KEYS.consult.aria} ${CALL_KEYS.blind.aria}`}
              onClick={() => toggle('transfer')}
            />
          )}
        </div>
      )}
      {active && panel === 'transfer' && mayTransfer && (
        <TransferDialog
          call={call}
          mode={transferMode}
          onClose={() => {
            setPanel(null);
            // Back to the button that opened it (when a transfer started, the button is gone and the call screen takes focus).
            requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-controls="transfer-dialog"]')?.focus());
          }}
        />
      )}
      {active && panel === 'keypad' && (
        <div id="call-keypad" className="call-panel">
          <output className="tones-typed" aria-label={t('call.tonesSent')}>
            {tones}
          </output>
          <DialPad keys="tones" label={t('call.keypad')} onKey={pressKey} />
        </div>
      )}
      {active && panel === 'devices' && settings && (
        <div id="call-devices" className="call-panel call-devices">
          <DeviceSelect label={t('call.microphone')} devices={devices.microphones} value={settings.devices.microphoneId} onChange={(id) => setDevice({ microphoneId: id })} />
          <DeviceSelect label={t('call.camera')} devices={devices.cameras} value={settings.devices.cameraId} onChange={(id) => setDevice({ cameraId: id })} />
          <DeviceSelect label={t('call.speaker')} devices={devices.speakers} value={settings.devices.speakerId} onChange={(id) => setDevice({ speakerId: id })} />
        </div>
      )}
      {error && (
        <p className="call-banner call-banner-warning" role="alert">
          {error}
        </p>
      )}
      <div className="call-bottom">
        {active && <VolumeControl value={volume} onChange={onVolume} />}
        <button type="button" className="hang-up" onClick={() => void bridge.invoke('phone.end', { callId, reason: 'hangup' })}>
          <PhoneOff size={24} />
          <span>{t('call.hangUp')}</span>
        </button>
      </div>
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
