import { useTranslation } from 'react-i18next';
import { ContactList } from '../components/contact-list';
import { DialBox } from '../components/dial-box';
import { RecentCalls } from '../components/recent-calls';
import { usePlaceCall } from '../state/use-place-call';

/** Home: the dial box and keypad, recent calls by day, then favourites and contacts (finding 3). */
export function Home({ onShowHistory }: { onShowHistory: () => void }) {
  const { t } = useTranslation();
  const { placeCall, failure } = usePlaceCall('list');
  const call = (username: string, media: 'audio' | 'video') => void placeCall(username, media);
  return (
    <div className="home">
      <h1 id="screen-title" className="visually-hidden" tabIndex={-1}>
        {t('home.title')}
      </h1>
      {failure && (
        <p className="banner banner-error" role="alert">
          {failure.message}
        </p>
      )}
      <div className="home-grid">
        <div className="home-column">
          <section className="card dial-card" aria-labelledby="dial-title">
            <h2 id="dial-title" className="visually-hidden">
              {t('dial.title')}
            </h2>
            <DialBox />
          </section>
          <RecentCalls onCallBack={call} onShowHistory={onShowHistory} />
        </div>
        <ContactList onCall={call} />
      </div>
    </div>
  );
}
