import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryPage } from '../../../shared/bridge';
import type { HistoryEntry } from '../../../shared/protocol';
import { Avatar } from '../components/avatar';
import { errorText } from '../components/error-text';
import { useAppState, useServices } from '../state/app-context';
import { usePlaceCall } from '../state/use-place-call';
import { formatDuration, historyKind, outcomeKey } from '../ui/format';

function HistoryRow({ entry, onCallBack }: { entry: HistoryEntry; onCallBack: () => void }) {
  const { t, i18n } = useTranslation();
  const kind = historyKind(entry);
  const outcome = outcomeKey(entry);
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(entry.startedAt));
  const duration = entry.talkMs !== null ? t('history.duration', { duration: formatDuration(entry.talkMs) }) : t('history.notAnswered');
  const name = entry.peer.displayName;
  const kindText = t(`history.${kind}`);
  return (
    <li className={`history-entry history-${kind}`}>
      <Avatar name={name} size="small" />
      <span className="history-main">
        <strong>{name}</strong>
        <span className="history-kind">
          {kindText}
          {outcome && kind !== 'missed' ? ` · ${t(`history.${outcome}`)}` : ''} · {t(`history.${entry.media}`)}
        </span>
      </span>
      <time dateTime={entry.startedAt}>{time}</time>
      <span className="history-duration">{duration}</span>
      <button type="button" className="button" aria-label={t('history.callBack', { name })} onClick={onCallBack}>
        <span aria-hidden="true">☎</span>
      </button>
    </li>
  );
}

/** Call history with a missed-only filter; opening it clears the missed counter. */
export function History() {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const [missedOnly, setMissedOnly] = useState(false);
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { placeCall, error: callError } = usePlaceCall();
  const endedCalls = snapshot?.calls.length ?? 0;

  useEffect(() => {
    void bridge.invoke('history.opened', {});
  }, [bridge, snapshot?.missedCount]);

  useEffect(() => {
    let live = true;
    void bridge.invoke('history.list', { limit: 50, missedOnly }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setPage(result.value);
        setEntries(result.value.calls);
        setError(null);
      } else setError(errorText(t, result.error));
    });
    return () => {
      live = false;
    };
  }, [bridge, missedOnly, t, endedCalls]);

  async function loadMore() {
    if (!page?.nextCursor) return;
    const result = await bridge.invoke('history.list', { limit: 50, missedOnly, cursor: page.nextCursor });
    if (result.ok) {
      setPage(result.value);
      setEntries((current) => [...current, ...result.value.calls]);
    } else setError(errorText(t, result.error));
  }

  return (
    <div className="history">
      <h1 id="screen-title" tabIndex={-1}>
        {t('history.title')}
      </h1>
      <div className="segmented" role="group" aria-label={t('history.filter')}>
        <button type="button" className="button" aria-pressed={!missedOnly} onClick={() => setMissedOnly(false)}>
          {t('history.all')}
        </button>
        <button type="button" className="button" aria-pressed={missedOnly} onClick={() => setMissedOnly(true)}>
          {t('history.missedOnly')}
        </button>
      </div>
      {page?.source === 'cache' && (
        <p className="banner banner-warning" role="status">
          {t('history.offlineCopy')}
        </p>
      )}
      {(error ?? callError) && (
        <p className="error" role="alert">
          {error ?? callError}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="muted">{t('history.empty')}</p>
      ) : (
        <ul className="history-list" aria-labelledby="screen-title">
          {entries.map((entry) => (
            <HistoryRow key={entry.callId} entry={entry} onCallBack={() => void placeCall(entry.peer.username, entry.media)} />
          ))}
        </ul>
      )}
      {page?.nextCursor && (
        <button type="button" className="button" onClick={() => void loadMore()}>
          {t('history.loadMore')}
        </button>
      )}
    </div>
  );
}
