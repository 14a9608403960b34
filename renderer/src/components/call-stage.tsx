import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import type { CallMediaView } from '../media/call-session';
import { Avatar } from './avatar';
import { VideoView } from './media-element';

/**
 * The picture: the other side's video filling the stage (or their avatar), and this side's
 * camera as a small picture inside the stage's corner, never over its edge (finding 10).
 */
export function CallStage({ call, media }: { call: CallView; media: CallMediaView | null }) {
  const { t } = useTranslation();
  const name = call.peer.displayName;
  const remoteVideo = media?.remoteStream && media.remoteVideo && !media.paused ? media.remoteStream : null;
  const localVideo = media !== null && (media.cameraOn || media.sharingScreen) && media.localStream.getVideoTracks().length > 0;
  return (
    <div className={remoteVideo ? 'call-stage call-stage-video' : 'call-stage'}>
      {remoteVideo ? <VideoView stream={remoteVideo} label={t('call.remoteVideo', { name })} className="remote-video" /> : <Avatar name={name} size="huge" />}
      {localVideo && media && (
        <div className="local-preview">
          <VideoView stream={media.localStream} label={t('call.localPreview')} mirrored={!media.sharingScreen} />
        </div>
      )}
    </div>
  );
}
