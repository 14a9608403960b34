import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DayGroups } from '../components/day-groups';
import { useAppState, useServices } from '../state/app-context';
import { useHistory } from '../state/use-history';
import { usePlaceCall } from '../state/use-place-call';

/** Call history by day, all or missed only; opening it clears the missed counter. */
export function History() {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const [missedOnly, setMissedOnly] = useState(false);
  const { entries, page, error, loadMore, loaded, now } = useHistory(50, missedOnly);
  const { placeCall, failure } = usePlaceCall('list');
  const callError = failure?.message ?? null;

  useEffect(() => {
    void bridge.invoke('history.opened', {});
  }, [bridge, snapshot?.missedCount]);

  return (
    <div className="history page">
      <div className="page-head">
        <h1 id="screen-title" tabIndex={-1}>
          {t('history.title')}
        </h1>
        <div className="segmented" role="group" aria-label={t('history.filter')}>
          <button type="button" aria-pressed={!missedOnly} onClick={() => setMissedOnly(false)}>
            {t('history.all')}
          </button>
          <button type="button" aria-pressed={missedOnly} onClick={() => setMissedOnly(true)}>
            {t('history.missedOnly')}
          </button>
        </div>
      </div>
      {page?.source === 'cache' && (
        <p className="banner banner-warning" role="status">
          {t('history.offlineCopy')}
        </p>
      )}
      {(error ?? callError) && (
        <p className="banner banner-error" role="alert">
          {error ?? callError}
        </p>
      )}
      <div className="card">
        {loaded && entries.length === 0 ? (
          <p className="empty">{missedOnly ? t('history.noMissed') : t('history.empty')}</p>
        ) : (
          <DayGroups entries={entries} now={now} details onCallBack={(entry) => void placeCall(entry.peer.username, entry.media)} />
        )}
        {page?.nextCursor && (
          <button type="button" className="btn btn-block" onClick={() => void loadMore()}>
            {t('history.loadMore')}
          </button>
        )}
      </div>
    </div>
  );
}
