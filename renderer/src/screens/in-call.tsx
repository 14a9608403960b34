import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import { Avatar } from '../components/avatar';
import { CallControls } from '../components/call-controls';
import { CallTimer } from '../components/call-timer';
import { RemoteAudio, VideoView } from '../components/media-element';
import { QualityIndicator } from '../components/quality-indicator';
import type { CallMediaView } from '../media/call-session';
import { useAppState, useServices } from '../state/app-context';

const NO_MEDIA: CallMediaView[] = [];

export function useCallMedia(): CallMediaView[] {
  const { media } = useServices();
  return useSyncExternalStore(media?.subscribe ?? (() => () => undefined), media?.getViews ?? (() => NO_MEDIA));
}

function statusText(t: ReturnType<typeof useTranslation>['t'], call: CallView, media: CallMediaView | null): string {
  const name = call.peer.displayName;
  if (call.phase === 'inviting' || call.phase === 'calling') return t('call.calling', { name });
  if (call.phase === 'ringback') return t('call.ringing', { name });
  if (call.phase === 'accepting') return t('call.connecting');
  if (call.held) return t('call.onHold');
  if (call.remoteHeld) return t('call.remoteOnHold', { name });
  if (!media || media.link === 'connecting') return t('call.connecting');
  if (media.link === 'reconnecting') return t('call.reconnecting');
  return t('call.connected');
}

/** The call in progress: video or avatar, preview, timer, status, quality, controls, other calls. */
export function InCall({ call, others }: { call: CallView; others: CallView[] }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { settings } = useAppState();
  const media = useCallMedia().find((m) => m.callId === call.callId) ?? null;
  const heading = useRef<HTMLHeadingElement>(null);
  const name = call.peer.displayName;
  const remoteHasVideo = (media?.remoteStream?.getVideoTracks().length ?? 0) > 0;
  const localHasVideo = media !== null && (media.cameraOn || media.sharingScreen) && media.localStream.getVideoTracks().length > 0;
  const reconnecting = media?.link === 'reconnecting' || (call.phase === 'active' && !call.peerConnected);

  useEffect(() => heading.current?.focus(), [call.callId]);

  return (
    <section className="in-call" aria-labelledby="call-title">
      <div className="call-stage">
        {remoteHasVideo && media?.remoteStream && !media.paused ? (
          <VideoView stream={media.remoteStream} label={t('call.remoteVideo', { name })} />
        ) : (
          <Avatar name={name} size="large" />
        )}
        {localHasVideo && media && (
          <div className="local-preview">
            <VideoView stream={media.localStream} label={t('call.localPreview')} mirrored={!media.sharingScreen} />
          </div>
        )}
        {media?.remoteStream && <RemoteAudio stream={media.remoteStream} speakerId={settings?.devices.speakerId ?? null} paused={media.paused} />}
      </div>
      <h1 id="call-title" ref={heading} tabIndex={-1}>
        {name}
      </h1>
      <p className="call-status" role="status" data-call-status data-link={media?.link ?? 'none'}>
        {statusText(t, call, media)}
      </p>
      {media?.connectedSince != null && <CallTimer since={media.connectedSince} />}
      {reconnecting && (
        <p className="banner banner-warning" role="alert">
          {call.peerConnected ? t('call.reconnecting') : t('call.peerOffline', { name })}
        </p>
      )}
      {call.phase === 'active' && <QualityIndicator stats={media?.stats ?? null} />}
      <CallControls call={call} media={media} />
      {others.length > 0 && (
        <section aria-labelledby="other-calls-title" className="other-calls">
          <h2 id="other-calls-title">{t('call.otherCalls')}</h2>
          <ul>
            {others.map((other) => (
              <li key={other.callId}>
                <button
                  type="button"
                  className="button"
                  aria-label={t('call.switchTo', { name: other.peer.displayName })}
                  onClick={async () => {
                    await bridge.invoke('phone.hold', { callId: call.callId, held: true });
                    await bridge.invoke('phone.hold', { callId: other.callId, held: false });
                  }}
                >
                  {t('call.heldCall', { name: other.peer.displayName })}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
