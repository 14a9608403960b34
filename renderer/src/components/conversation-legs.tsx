import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../shared/protocol';
import { timeOfDay } from '../ui/days';
import { formatDuration, historyKind, outcomeKey } from '../ui/format';

/** What a call was in its conversation, from the user's side: the i18n key of its role. */
function roleKey(leg: HistoryEntry): string {
  switch (leg.legKind) {
    case 'consult':
      return 'history.leg.consult';
    case 'transfer':
      return 'history.leg.transfer';
    case 'transferred':
      return 'history.leg.transferred';
    case 'line':
      return 'history.leg.line';
    default:
      return 'history.leg.original';
  }
}

/**
 * The calls of a transferred conversation under its history row (newest first): who, what the call was, how it
 * went and how long. A native disclosure: Enter or Space on the summary opens it, and screen readers say its state.
 */
export function ConversationLegs({ legs }: { legs: HistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  return (
    <details className="conversation-legs">
      <summary>{t('history.legs', { count: legs.length })}</summary>
      <ul className="leg-list">
        {legs.map((leg) => {
          const kind = historyKind(leg);
          const outcome = outcomeKey(leg);
          const how = outcome && kind !== 'missed' ? t('history.kindWithOutcome', { kind: t(`history.${kind}`), outcome: t(`history.${outcome}`) }) : t(`history.${kind}`);
          return (
            <li key={leg.callId} className="leg-row">
              <span className="leg-row-text">
                <span className="leg-row-role">{t(roleKey(leg), { name: leg.peer.displayName })}</span>
                <span className="call-row-meta">
                  {how}
                  {leg.talkMs !== null && (
                    <>
                      {' · '}
                      <span data-volatile>{formatDuration(leg.talkMs)}</span>
                    </>
                  )}
                  {leg.legKind === 'transferred' && leg.transfer && <>{` · ${t('history.leg.transferredBy', { name: leg.transfer.by.displayName })}`}</>}
                </span>
              </span>
              <time className="call-row-time" dateTime={leg.startedAt} data-volatile>
                {timeOfDay(leg.startedAt, i18n.language)}
              </time>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
