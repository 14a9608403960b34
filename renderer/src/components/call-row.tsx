import { Phone, PhoneIncoming, PhoneMissed, PhoneOutgoing, PhoneOff, Video } from 'lucide-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry, HistoryWrapUp } from '../../../shared/protocol';
import { timeOfDay } from '../ui/days';
import { formatDuration, historyKind, outcomeKey } from '../ui/format';

const KIND_ICONS = { incoming: PhoneIncoming, outgoing: PhoneOutgoing, missed: PhoneMissed, declined: PhoneOff } as const;

/** The agent's own wrap-up of the call (issue 14): outcome, notes and tags; nothing when all are empty. */
function WrapUpLine({ wrapUp }: { wrapUp: HistoryWrapUp }) {
  const { t } = useTranslation();
  if (wrapUp.outcomeLabel === null && wrapUp.notes === '' && wrapUp.tags.length === 0) return null;
  return (
    <span className="call-row-wrap-up" data-wrap-up>
      <span className="visually-hidden">{t('history.wrapUp')}</span>
      {wrapUp.outcomeLabel !== null && <span className="call-row-outcome">{wrapUp.outcomeLabel}</span>}
      {wrapUp.tags.length > 0 && <span className="call-row-tags">{wrapUp.tags.map((tag) => `#${tag}`).join(' ')}</span>}
      {wrapUp.notes !== '' && (
        <span className="call-row-notes" title={wrapUp.notes}>
          {wrapUp.notes}
        </span>
      )}
    </span>
  );
}

/**
 * One call in the history or the recent calls: what kind, with whom, when, how long, and a call-back button;
 * with `details` (the history screen) also the agent's own wrap-up. The recent calls on Home stay one line each.
 * `legs` (a transferred conversation's calls) go under it.
 */
export function CallRow({ entry, onCallBack, details = false, legs }: { entry: HistoryEntry; onCallBack: () => void; details?: boolean; legs?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const kind = historyKind(entry);
  const outcome = outcomeKey(entry);
  const Icon = KIND_ICONS[kind];
  const name = entry.peer.displayName;
  const kindText = outcome && kind !== 'missed' ? t('history.kindWithOutcome', { kind: t(`history.${kind}`), outcome: t(`history.${outcome}`) }) : t(`history.${kind}`);

  const callBack = t('history.callBack', { name });
  return (
    <li className={`call-row call-row-${kind}${legs ? ' call-row-conversation' : ''}`}>
      <span className="call-row-icon">
        <Icon size={18} />
      </span>
      <span className="call-row-text">
        <span className="call-row-name">{name}</span>
        <span className="call-row-meta">
          {entry.media === 'video' && <Video size={14} aria-label={t('history.video')} role="img" />}
          {kindText}
          {entry.talkMs !== null && (
            <>
              {' · '}
              <span data-volatile>{formatDuration(entry.talkMs)}</span>
            </>
          )}
        </span>
        {details && entry.wrapUp && <WrapUpLine wrapUp={entry.wrapUp} />}
      </span>
      <time className="call-row-time" dateTime={entry.startedAt} data-volatile>
        {timeOfDay(entry.startedAt, i18n.language)}
      </time>
      <button type="button" className="icon-btn call" aria-label={callBack} title={callBack} onClick={onCallBack}>
        <Phone size={18} />
      </button>
      {legs}
    </li>
  );
}
