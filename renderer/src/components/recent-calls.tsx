import { useTranslation } from 'react-i18next';
import { useHistory } from '../state/use-history';
import { DayGroups } from './day-groups';

const RECENT = 6;

/** The last few calls on the home screen, grouped by day (finding 3), with a way to the full history. */
export function RecentCalls({ onCallBack, onShowHistory }: { onCallBack: (username: string, media: 'audio' | 'video') => void; onShowHistory: () => void }) {
  const { t } = useTranslation();
  const { entries, loaded, now } = useHistory(RECENT, false);
  return (
    <section className="card recents" aria-labelledby="recents-title">
      <div className="card-head">
        <h2 id="recents-title">{t('home.recent')}</h2>
        {entries.length > 0 && (
          <button type="button" className="btn-link" onClick={onShowHistory}>
            {t('home.allCalls')}
          </button>
        )}
      </div>
      {loaded && entries.length === 0 ? (
        <p className="empty">{t('home.noRecent')}</p>
      ) : (
        <DayGroups entries={entries} now={now} onCallBack={(entry) => onCallBack(entry.peer.username, entry.media)} />
      )}
    </section>
  );
}
