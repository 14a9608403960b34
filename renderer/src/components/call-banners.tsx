import { CirclePause, MicOff, TriangleAlert, WifiOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import type { CallMediaView } from '../media/call-session';

/**
 * What is true about the call right now, in words (finding 6): this side muted or holding, the
 * other side muted or holding, the media reconnecting, the other side's connection gone.
 */
export function CallBanners({ call, media }: { call: CallView; media: CallMediaView | null }) {
  const { t } = useTranslation();
  const name = call.peer.displayName;
  const active = call.phase === 'active';
  const reconnecting = active && call.peerConnected && media?.link === 'reconnecting';
  return (
    <div className="call-banners">
      {active && call.muted && (
        <p className="call-banner call-banner-warning" data-banner="muted">
          <MicOff size={16} />
          {t('call.youAreMuted', { name })}
        </p>
      )}
      {active && call.held && (
        <p className="call-banner call-banner-warning" data-banner="held">
          <CirclePause size={16} />
          {t('call.youHold', { name })}
        </p>
      )}
      {active && call.remoteHeld && (
        <p className="call-banner call-banner-info" data-banner="remote-held">
          <CirclePause size={16} />
          {t('call.remoteOnHold', { name })}
        </p>
      )}
      {active && call.remoteMuted && !call.remoteHeld && (
        <p className="call-banner call-banner-info" data-banner="remote-muted">
          <MicOff size={16} />
          {t('call.remoteMuted', { name })}
        </p>
      )}
      {reconnecting && (
        <p className="call-banner call-banner-warning" role="alert">
          <TriangleAlert size={16} />
          {t('call.reconnecting')}
        </p>
      )}
      {active && !call.peerConnected && (
        <p className="call-banner call-banner-warning" role="alert">
          <WifiOff size={16} />
          {t('call.peerOffline', { name })}
        </p>
      )}
    </div>
  );
}
