import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IceServersResponse } from '../../../shared/protocol';
import { VideoView } from '../components/media-element';
import { openCamera, openMicrophone } from '../media/devices';
import { loopbackIceCheck, watchMicLevel, type IceCheckResult } from '../media/preflight';
import { playPattern } from '../media/tone-player';
import { SPEAKER_TEST_TONE } from '../media/tones';
import { errorText } from '../components/error-text';
import { useAppState, useServices } from '../state/app-context';

/** Preflight: mic meter, camera preview, speaker tone, loopback ICE check with the configured servers. */
export function TestCall() {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { settings } = useAppState();
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [level, setLevel] = useState(0);
  const [ice, setIce] = useState<IceCheckResult | 'running' | null>(null);
  const [servers, setServers] = useState<IceServersResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!stream) return;
    const stop = watchMicLevel(stream, setLevel);
    return () => {
      stop();
      stream.getTracks().forEach((track) => track.stop());
    };
  }, [stream]);

  async function start() {
    setError(null);
    try {
      const mic = await openMicrophone(settings?.devices.microphoneId ?? null);
      const camera = await openCamera(settings?.devices.cameraId ?? null).catch(() => null);
      setStream(new MediaStream(camera ? [mic, camera] : [mic]));
    } catch (e) {
      setError(t('errors.media', { message: e instanceof Error ? e.message : String(e) }));
      return;
    }
    const result = await bridge.invoke('ice.servers', {});
    if (!result.ok) {
      setError(errorText(t, result.error));
      return;
    }
    setServers(result.value);
    setIce('running');
    setIce(await loopbackIceCheck(result.value.iceServers));
  }

  function stop() {
    setStream(null);
    setLevel(0);
  }

  return (
    <section className="test-call" aria-labelledby="test-call-title">
      <h2 id="test-call-title" className="section-title">{t('testCall.title')}</h2>
      <div className="row">
        {stream ? (
          <button type="button" className="btn" onClick={stop}>
            {t('testCall.stop')}
          </button>
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => void start()}>
            {t('testCall.start')}
          </button>
        )}
        <button type="button" className="btn" onClick={() => void playPattern(SPEAKER_TEST_TONE, settings?.devices.speakerId ?? null)}>
          {t('testCall.speakerTest')}
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="mic-level">{t('testCall.micLevel')}</label>
        <meter id="mic-level" min={0} max={1} low={0.05} high={0.8} optimum={0.4} value={level} />
      </div>
      {stream && stream.getVideoTracks().length > 0 && (
        <div className="preview">
          <VideoView stream={stream} label={t('testCall.cameraPreview')} mirrored />
        </div>
      )}
      <div className="ice-check" role="status" aria-label={t('testCall.iceCheck')}>
        {servers && (
          <p className="muted">{servers.iceServers.length > 0 ? t('testCall.iceServers', { count: servers.iceServers.length }) : t('testCall.noIceServers')}</p>
        )}
        {ice === 'running' && <p>{t('testCall.iceRunning')}</p>}
        {ice && ice !== 'running' && (
          <p className={ice.connected ? 'ok-text' : 'error-text'}>
            {ice.connected ? t('testCall.iceConnected', { ms: ice.elapsedMs, type: ice.candidateType ?? '?' }) : t('testCall.iceFailed', { reason: ice.error ?? '' })}
          </p>
        )}
      </div>
    </section>
  );
}
