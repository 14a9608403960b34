import { PhoneForwarded, Undo2, UsersRound, VideoOff, X } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConferenceView, TransferView } from '../../../shared/protocol';
import type { CallView } from '../../../shared/phone/api';

/**
 * What a transfer means for the call on screen (issue 15):
 * - the customer or the target of a completed transfer: "Connected to Y (transferred by X)";
 * - a customer waiting in a line its answered call was moved to: transferred there by X, back at the front after a
 *   failed transfer, or back at the front after its agent X was cut off;
 * - every side of a three-way call: the three names, and that video is paused (the agent is told on
 *   one of its two legs: `conference` is either leg's);
 * - the transferor, when its transfer ended without completing: why, and that the customer is back
 *   ("Y did not answer: you are back with Customer"), until dismissed.
 */
export function TransferBanners({ call, conference, outcome }: { call: CallView; conference: ConferenceView | null; outcome: TransferView | null }) {
  const { t } = useTranslation();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const showOutcome = outcome && outcome.endReason && outcome.transferId !== dismissed;
  const moved = call.queue ? call.movedToLine : null;
  return (
    <>
      {moved ? (
        // Moved to a line (call:queued): waiting there until its agent answers; then, if transferred, "Connected to ...".
        <p className="call-banner call-banner-info" data-banner={moved.why === 'transferred' ? 'transferred' : 'back-in-line'}>
          <PhoneForwarded size={16} />
          {t(`transfer.queued.${moved.why}`, { name: call.peer.displayName, by: moved.by.displayName })}
        </p>
      ) : (
        call.transferredBy && (
          <p className="call-banner call-banner-info" data-banner="transferred">
            <PhoneForwarded size={16} />
            {t('transfer.transferredBy', { name: call.peer.displayName, by: call.transferredBy.displayName })}
          </p>
        )
      )}
      {conference && (
        <p className="call-banner call-banner-info" data-banner="conference">
          <UsersRound size={16} />
          {t('transfer.conference', { names: conference.parties.map((p) => p.displayName).join(', ') })}
        </p>
      )}
      {conference && call.media === 'video' && (
        <p className="call-banner call-banner-info" data-banner="video-paused">
          <VideoOff size={16} />
          {t('transfer.videoPaused')}
        </p>
      )}
      {showOutcome && (
        <p className="call-banner call-banner-warning" role="status" data-banner="transfer-outcome" data-reason={outcome.endReason}>
          <Undo2 size={16} />
          <span className="call-banner-text">{t(`transfer.recall.${outcome.endReason}`, { target: outcome.target.displayName, customer: outcome.customer.displayName })}</span>
          <button type="button" className="icon-btn" aria-label={t('call.dismiss')} onClick={() => setDismissed(outcome.transferId)}>
            <X size={16} />
          </button>
        </p>
      )}
    </>
  );
}

/** Before answering, a transfer or consult leg says who transfers and for whom ("Consult from X about Customer"). */
export function CallContextLine({ call }: { call: CallView }) {
  const { t } = useTranslation();
  const context = call.context;
  if (!context) return null;
  const key = context.kind === 'consult' ? 'transfer.incomingConsult' : 'transfer.incomingTransfer';
  return (
    <span className="call-context" data-context={context.kind}>
      {t(key, { by: context.by.displayName, customer: context.for.displayName })}
    </span>
  );
}
