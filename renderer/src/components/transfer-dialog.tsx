import { PhoneForwarded, Search, UsersRound, X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryEntry, TransferMode } from '../../../shared/protocol';
import type { CallView } from '../../../shared/phone/api';
import { useAppState, useServices } from '../state/app-context';
import { PresenceLabel } from '../ui/presence';
import { errorText } from './error-text';

const SEARCH_DELAY_MS = 200;

/**
 * In-call Transfer (issue 15): search the directory, then per person **Consult** (talk to them first
 * while the caller waits on hold) or **Transfer now** (blind: handed over when they answer). A modal
 * dialog: focus starts in the search, Escape closes it, and the call keeps going underneath. Enter in the search
 * takes the first match: Consult, or Transfer now when the dialog was opened with the blind key (ui/call-keys.ts).
 */
export function TransferDialog({ call, mode, onClose }: { call: CallView; mode: TransferMode; onClose: () => void }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const me = snapshot?.user?.userId;
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<DirectoryEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const searchId = useId();
  const input = useRef<HTMLInputElement>(null);
  const trimmed = query.trim();

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const result = await bridge.invoke('directory.search', { q: trimmed, limit: 20 });
      if (!live) return;
      if (result.ok) setPeople(result.value.users.filter((u) => u.userId !== me && u.userId !== call.peer.userId));
      else setError(errorText(t, result.error));
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bridge, trimmed, me, call.peer.userId, t]);

  async function start(to: string, mode: TransferMode) {
    setBusy(true);
    setError(null);
    const result = await bridge.invoke('phone.transfer', { callId: call.callId, to, mode });
    setBusy(false);
    if (result.ok) onClose();
    else setError(errorText(t, result.error));
  }

  return (
    <div className="overlay">
      <section
        id="transfer-dialog"
        className="dialog transfer-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="transfer-title"
        aria-describedby="transfer-hint"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <div className="transfer-dialog-head">
          <h2 id="transfer-title">{t('transfer.dialogTitle', { name: call.peer.displayName })}</h2>
          <button type="button" className="icon-btn" aria-label={t('transfer.close')} onClick={onClose}>
            <X size={18} />
          </button>
        </div>
        <p id="transfer-hint" className="hint">
          {t('transfer.hint')}
        </p>
        <div className="search">
          <label htmlFor={searchId} className="visually-hidden">
            {t('transfer.searchLabel')}
          </label>
          <Search size={18} className="search-icon" />
          <input
            ref={input}
            id={searchId}
            type="search"
            value={query}
            aria-describedby={`${searchId}-enter`}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              const first = people?.[0];
              if (e.key !== 'Enter' || !first || busy) return;
              e.preventDefault();
              void start(first.username, mode);
            }}
            placeholder={t('transfer.searchPlaceholder')}
          />
        </div>
        <p id={`${searchId}-enter`} className="hint">
          {t(mode === 'consult' ? 'transfer.enterConsults' : 'transfer.enterTransfers')}
        </p>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        {people !== null && people.length === 0 && trimmed && <p className="empty">{t('transfer.noMatch', { query: trimmed })}</p>}
        {people !== null && people.length > 0 && (
          <ul className="transfer-people" aria-label={t('transfer.results')}>
            {people.map((person) => (
              <li key={person.userId}>
                <span className="transfer-person">
                  <strong>{person.displayName}</strong>
                  <span className="transfer-person-detail">
                    @{person.username} · <PresenceLabel status={person.presence} />
                  </span>
                </span>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy}
                  aria-label={t('transfer.consultWith', { name: person.displayName })}
                  onClick={() => void start(person.username, 'consult')}
                >
                  <UsersRound size={16} />
                  {t('transfer.consult')}
                </button>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={busy}
                  aria-label={t('transfer.blindTo', { name: person.displayName })}
                  onClick={() => void start(person.username, 'blind')}
                >
                  <PhoneForwarded size={16} />
                  {t('transfer.blind')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
