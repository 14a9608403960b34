import { ArrowLeftRight } from 'lucide-react';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { isOpenTransfer, openTransferOf } from '../../../shared/call/transfer-model';
import { transferFactsOf, transferRefusal } from '../../../shared/call/transfer-rule';
import type { TransferView } from '../../../shared/protocol';
import type { CallView } from '../../../shared/phone/api';
import { CallBanners } from '../components/call-banners';
import { CallControls } from '../components/call-controls';
import { CallStage } from '../components/call-stage';
import { CallTimer } from '../components/call-timer';
import { ConsultPanel } from '../components/consult-panel';
import { HoldReminder } from '../components/hold-reminder';
import { RemoteAudio } from '../components/media-element';
import { QualityIndicator } from '../components/quality-indicator';
import { QueueStatus } from '../components/queue-status';
import { TransferBanners } from '../components/transfer-banners';
import { useCallVolume } from '../components/volume-control';
import { WaitingPanel } from '../components/waiting-panel';
import type { CallMediaView } from '../media/call-session';
import type { ConferenceView } from '../media/conference-hub';
import { useAppState, useServices } from '../state/app-context';

const NO_MEDIA: CallMediaView[] = [];

export function useCallMedia(): CallMediaView[] {
  const { media } = useServices();
  return useSyncExternalStore(media?.subscribe ?? (() => () => undefined), media?.getViews ?? (() => NO_MEDIA));
}

const NO_CONFERENCE: ConferenceView = { state: 'idle', callIds: [], playback: null };

/** The three-way call this window hosts (the agent's hub), if any. */
export function useHostedConference(): ConferenceView {
  const { media } = useServices();
  return useSyncExternalStore(media?.subscribe ?? (() => () => undefined), media?.getConference ?? (() => NO_CONFERENCE));
}

/** This call's transfer: the open one it is a leg of, else the last one that ended (its outcome is shown). */
function transferOf(transfers: readonly TransferView[], callId: string): { open: TransferView | null; ended: TransferView | null } {
  const open = openTransferOf(transfers, callId) ?? null;
  const ended = open ? null : ([...transfers].reverse().find((t) => !isOpenTransfer(t) && (t.originalCallId === callId || t.legCallId === callId)) ?? null);
  return { open, ended };
}

/** The call's state in words. "Connected" only when the media is (finding 1). */
function statusKey(call: CallView, media: CallMediaView | null): string {
  if (call.queue && call.phase === 'calling') return 'queue.waiting';
  if (call.phase === 'inviting' || call.phase === 'calling') return 'call.calling';
  if (call.phase === 'ringback') return 'call.ringing';
  if (call.phase === 'accepting') return 'call.connecting';
  if (call.held) return 'call.onHold';
  if (media?.link === 'connected') return 'call.connected';
  if (media?.link === 'reconnecting') return 'call.reconnecting';
  return 'call.connecting';
}

/** The call in progress: call waiting, who, state, timer, quality, what is true now, the picture, the controls. */
export function InCall({ call, others, waiting }: { call: CallView; others: CallView[]; waiting: CallView[] }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { settings, snapshot } = useAppState();
  const media = useCallMedia().find((m) => m.callId === call.callId) ?? null;
  const hub = useHostedConference();
  const transfer = transferOf(snapshot?.transfers ?? [], call.callId);
  // The transfer's other leg is shown in the consult panel, not as another call to switch to.
  const pairedLeg = transfer.open && (transfer.open.originalCallId === call.callId ? transfer.open.legCallId : transfer.open.originalCallId);
  const otherCalls = others.filter((other) => other.callId !== pairedLeg);
  const conference = call.conference ?? others.find((other) => other.callId === pairedLeg)?.conference ?? null;
  // The agent of a three-way call hears the hub's mix of both others instead of this call's own audio.
  const inHub = hub.state !== 'idle' && hub.callIds.includes(call.callId);
  const inTransfer = transfer.open !== null || inHub;
  const remoteStream = inHub ? hub.playback : (media?.remoteStream ?? null);
  const [volume, setVolume] = useCallVolume();
  const heading = useRef<HTMLHeadingElement>(null);
  const name = call.peer.displayName;

  useEffect(() => heading.current?.focus(), [call.callId]);

  return (
    <section className="in-call" aria-labelledby="call-title">
      {waiting[0] && <WaitingPanel call={waiting[0]} current={call} />}
      <div className="call-info">
        <h1 id="call-title" ref={heading} tabIndex={-1}>
          {name}
        </h1>
        {call.peer.userId !== '' && <p className="call-username">@{call.peer.username}</p>}
        <p className="call-status">
          <span role="status" data-call-status data-link={media?.link ?? 'none'}>
            {t(statusKey(call, media), { name })}
          </span>
          {media?.connectedSince != null && <CallTimer since={media.connectedSince} />}
        </p>
        {call.phase === 'active' && !media?.paused && <QualityIndicator stats={media?.stats ?? null} link={media?.link ?? null} />}
      </div>
      {call.queue && call.phase === 'calling' && <QueueStatus callId={call.callId} queue={call.queue} />}
      <CallBanners call={call} media={media} />
      <TransferBanners call={call} conference={conference} outcome={transfer.ended} />
      <HoldReminder calls={snapshot?.calls ?? []} speakerId={settings?.devices.speakerId ?? null} />
      {transfer.open && <ConsultPanel transfer={transfer.open} />}
      <CallStage call={call} media={media} />
      {remoteStream && <RemoteAudio stream={remoteStream} speakerId={settings?.devices.speakerId ?? null} paused={!inHub && (media?.paused ?? false)} volume={volume / 100} />}
      {otherCalls.length > 0 && (
        <ul className="other-calls" aria-label={t('call.otherCalls')}>
          {otherCalls.map((other) => (
            <li key={other.callId}>
              <span>{t('call.heldCall', { name: other.peer.displayName })}</span>
              <button
                type="button"
                className="btn btn-small"
                aria-label={t('call.switchTo', { name: other.peer.displayName })}
                onClick={async () => {
                  await bridge.invoke('phone.hold', { callId: call.callId, held: true });
                  await bridge.invoke('phone.hold', { callId: other.callId, held: false });
                }}
              >
                <ArrowLeftRight size={16} />
                {t('call.switch')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <CallControls call={call} media={media} volume={volume} onVolume={setVolume} inTransfer={inTransfer} mayTransfer={!inTransfer && transferRefusal(transferFactsOf(call)) === null} />
    </section>
  );
}
