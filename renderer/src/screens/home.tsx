import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryEntry } from '../../../shared/protocol';
import { Avatar } from '../components/avatar';
import { errorText } from '../components/error-text';
import { PresenceDot } from '../components/presence-dot';
import { useAppState, useServices } from '../state/app-context';
import { useFavourites } from '../state/favourites';
import { useLivePresence } from '../state/use-live-presence';
import { usePlaceCall } from '../state/use-place-call';

/**
 * Presence is live (useLivePresence); the list itself is re-fetched this often while shown only
 * so that people who registered since appear (the service pushes no directory changes).
 */
const DIRECTORY_REFRESH_MS = 60_000;

function PersonRow(props: { person: DirectoryEntry; favourite: boolean; onToggleFavourite: () => void; onCall: (media: 'audio' | 'video') => void }) {
  const { t } = useTranslation();
  const { person } = props;
  const name = person.displayName;
  return (
    <li className="person">
      <Avatar name={name} />
      <PresenceDot status={person.presence} name={name} />
      <span className="person-name">
        <strong>{name}</strong>
        <span className="muted">@{person.username}</span>
      </span>
      <span className="person-actions">
        <button
          type="button"
          className="icon-button"
          aria-pressed={props.favourite}
          aria-label={props.favourite ? t('home.removeFavourite', { name }) : t('home.addFavourite', { name })}
          onClick={props.onToggleFavourite}
        >
          <span aria-hidden="true">{props.favourite ? '★' : '☆'}</span>
        </button>
        <button type="button" className="button" aria-label={t('home.audioCallTo', { name })} onClick={() => props.onCall('audio')}>
          <span aria-hidden="true">☎</span> {t('home.audioCall')}
        </button>
        <button type="button" className="button" aria-label={t('home.videoCallTo', { name })} onClick={() => props.onCall('video')}>
          <span aria-hidden="true">▶</span> {t('home.videoCall')}
        </button>
      </span>
    </li>
  );
}

/** Directory with presence and search, favourites, and a dial box. */
export function Home() {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const me = snapshot?.user ?? null;
  const [query, setQuery] = useState('');
  const [directory, setDirectory] = useState<DirectoryEntry[]>([]);
  const people = useLivePresence(directory);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [dial, setDial] = useState('');
  const [favourites, toggleFavourite] = useFavourites(me?.userId ?? null);
  const { placeCall, error: callError } = usePlaceCall();
  const searchId = useId();
  const dialId = useId();

  useEffect(() => {
    let live = true;
    const load = async () => {
      const result = await bridge.invoke('directory.search', { q: query.trim(), limit: 100 });
      if (!live) return;
      if (result.ok) {
        setDirectory(result.value.users.filter((u) => u.userId !== me?.userId));
        setLoadError(null);
      } else setLoadError(errorText(t, result.error));
    };
    void load();
    const timer = setInterval(() => void load(), DIRECTORY_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [bridge, query, me?.userId, t]);

  const favouritePeople = people.filter((p) => favourites.includes(p.username));
  const row = (person: DirectoryEntry) => (
    <PersonRow
      key={person.userId}
      person={person}
      favourite={favourites.includes(person.username)}
      onToggleFavourite={() => toggleFavourite(person.username)}
      onCall={(media) => void placeCall(person.username, media)}
    />
  );

  function dialSubmit(event: FormEvent, media: 'audio' | 'video') {
    event.preventDefault();
    if (dial.trim()) void placeCall(dial, media);
  }

  return (
    <div className="home">
      <h1 id="screen-title" tabIndex={-1}>
        {t('home.title')}
      </h1>
      <form className="dial" onSubmit={(e) => dialSubmit(e, 'audio')}>
        <label htmlFor={dialId}>{t('home.dialLabel')}</label>
        <input id={dialId} value={dial} onChange={(e) => setDial(e.target.value)} placeholder={t('home.dialPlaceholder')} autoCapitalize="none" />
        <button type="submit" className="button primary">
          {t('home.audioCall')}
        </button>
        <button type="button" className="button" onClick={(e) => dialSubmit(e, 'video')}>
          {t('home.videoCall')}
        </button>
      </form>
      {callError && (
        <p className="error" role="alert">
          {callError}
        </p>
      )}
      <div className="field search">
        <label htmlFor={searchId}>{t('home.search')}</label>
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('home.searchPlaceholder')} />
      </div>
      {loadError && (
        <p className="error" role="alert">
          {loadError}
        </p>
      )}
      {favouritePeople.length > 0 && (
        <section aria-labelledby="favourites-title">
          <h2 id="favourites-title">{t('home.favourites')}</h2>
          <ul className="people">{favouritePeople.map(row)}</ul>
        </section>
      )}
      <section aria-labelledby="everyone-title">
        <h2 id="everyone-title">{t('home.everyone')}</h2>
        {people.length === 0 ? <p className="muted">{t('home.noResults')}</p> : <ul className="people">{people.map(row)}</ul>}
      </section>
    </div>
  );
}
