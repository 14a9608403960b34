import { Phone, Search, Star, Video } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryEntry, DirectoryLine, Media } from '../../../shared/protocol';
import { useAppState, useServices } from '../state/app-context';
import { useFavourites } from '../state/favourites';
import { useLivePresence } from '../state/use-live-presence';
import { PRESENCE_ORDER, PresenceLabel } from '../ui/presence';
import { Avatar } from './avatar';
import { errorText } from './error-text';
import { LineList } from './line-list';

/**
 * Presence is live (useLivePresence); the list itself is re-fetched this often while shown only
 * so that people who registered since appear (the service pushes no directory changes).
 */
const DIRECTORY_REFRESH_MS = 60_000;

/** Reachable people first (available, away, in a call, do not disturb, offline), then by name. */
function byReachability(a: DirectoryEntry, b: DirectoryEntry): number {
  return PRESENCE_ORDER.indexOf(a.presence) - PRESENCE_ORDER.indexOf(b.presence) || a.displayName.localeCompare(b.displayName);
}

function PersonRow(props: { person: DirectoryEntry; favourite: boolean; onToggleFavourite: () => void; onCall: (media: Media) => void }) {
  const { t } = useTranslation();
  const { person } = props;
  const name = person.displayName;
  const audio = t('home.audioCallTo', { name });
  const video = t('home.videoCallTo', { name });
  const star = props.favourite ? t('home.removeFavourite', { name }) : t('home.addFavourite', { name });
  return (
    <li className={`person person-${person.presence}`}>
      <Avatar name={name} presence={person.presence} />
      <span className="person-text">
        <span className="person-name">
          {name} <span className="person-username">@{person.username}</span>
        </span>
        <PresenceLabel status={person.presence} />
      </span>
      <span className="person-actions">
        <button type="button" className="icon-btn" aria-pressed={props.favourite} aria-label={star} title={star} onClick={props.onToggleFavourite}>
          <Star size={18} fill={props.favourite ? 'currentColor' : 'none'} />
        </button>
        <button type="button" className="icon-btn call" aria-label={video} title={video} onClick={() => props.onCall('video')}>
          <Video size={18} />
        </button>
        <button type="button" className="icon-btn call" aria-label={audio} title={audio} onClick={() => props.onCall('audio')}>
          <Phone size={18} />
        </button>
      </span>
    </li>
  );
}

/** Service lines (issue 14), favourites, then everyone else, reachable first, with words for presence and a search (finding 3). */
export function ContactList({ onCall }: { onCall: (username: string, media: Media) => void }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const me = snapshot?.user ?? null;
  const [query, setQuery] = useState('');
  const [directory, setDirectory] = useState<DirectoryEntry[] | null>(null);
  const [lines, setLines] = useState<DirectoryLine[]>([]);
  const people = useLivePresence(directory ?? []);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [favourites, toggleFavourite] = useFavourites(me?.userId ?? null);
  const searchId = useId();
  const trimmed = query.trim();

  useEffect(() => {
    let live = true;
    const load = async () => {
      const result = await bridge.invoke('directory.search', { q: trimmed, limit: 100 });
      if (!live) return;
      if (result.ok) {
        setDirectory(result.value.users.filter((u) => u.userId !== me?.userId));
        setLines(result.value.lines);
        setLoadError(null);
      } else setLoadError(errorText(t, result.error));
    };
    void load();
    const timer = setInterval(() => void load(), DIRECTORY_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [bridge, trimmed, me?.userId, t]);

  const sorted = [...people].sort(byReachability);
  const favouritePeople = sorted.filter((p) => favourites.includes(p.username));
  const others = sorted.filter((p) => !favourites.includes(p.username));
  const row = (person: DirectoryEntry) => (
    <PersonRow
      key={person.userId}
      person={person}
      favourite={favourites.includes(person.username)}
      onToggleFavourite={() => toggleFavourite(person.username)}
      onCall={(media) => onCall(person.username, media)}
    />
  );

  return (
    <section className="card contacts" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t('home.contacts')}</h2>
      <div className="search">
        <label htmlFor={searchId} className="visually-hidden">
          {t('home.search')}
        </label>
        <Search size={18} className="search-icon" />
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('home.searchPlaceholder')} />
      </div>
      {loadError && (
        <p className="banner banner-error" role="alert">
          {loadError}
        </p>
      )}
      <LineList lines={lines} onCall={(name) => onCall(name, 'audio')} />
      {favouritePeople.length > 0 && (
        <>
          <h3 className="section-title" id="favourites-title">
            {t('home.favourites')}
          </h3>
          <ul className="people" aria-labelledby="favourites-title">
            {favouritePeople.map(row)}
          </ul>
        </>
      )}
      {(favouritePeople.length > 0 || lines.length > 0) && others.length > 0 && (
        <h3 className="section-title" id="everyone-title">
          {t(favouritePeople.length > 0 ? 'home.everyone' : 'home.people')}
        </h3>
      )}
      {others.length > 0 && (
        <ul className="people" aria-labelledby={favouritePeople.length > 0 || lines.length > 0 ? 'everyone-title' : 'contacts-title'}>
          {others.map(row)}
        </ul>
      )}
      {directory !== null && sorted.length === 0 && lines.length === 0 && <p className="empty">{trimmed ? t('home.noMatch', { query: trimmed }) : t('home.nobodyYet')}</p>}
    </section>
  );
}
