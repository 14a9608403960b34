import { Headset, PhoneForwarded, Search, UsersRound, X, type LucideIcon } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryEntry, LineRef, TransferMode } from '../../../shared/protocol';
import type { CallView } from '../../../shared/phone/api';
import { useAppState, useServices } from '../state/app-context';
import { PresenceLabel } from '../ui/presence';
import { errorText } from './error-text';

const SEARCH_DELAY_MS = 200;

/** One way to start the transfer: its short label, and its accessible name when the label alone does not say to whom. */
function StartButton({ icon: Icon, label, name, disabled, onClick }: { icon: LucideIcon; label: string; name?: string; disabled: boolean; onClick: () => void }) {
  return (
    <button type="button" className="btn btn-small" disabled={disabled} aria-label={name} onClick={onClick}>
      <Icon size={16} />
      {label}
    </button>
  );
}

/** A service line matches the search by its name or display name (all of this agent's lines for an empty search). */
const lineMatches = (line: LineRef, query: string) => [line.name, line.displayName].some((text) => text.toLowerCase().includes(query.toLowerCase()));

/**
 * In-call Transfer (issue 15): search the directory, then per person **Consult** (talk to them first
 * while the caller waits on hold) or **Transfer now** (blind: handed over when they answer). Service lines
 * (this agent's lines at once, every open line the directory finds, or any name typed in full) take **Transfer now** only: the caller waits in the line
 * for its next agent (a line cannot be consulted). A modal dialog: focus starts in the search, Escape
 * closes it, and the call keeps going underneath. Enter in the search takes the first match: Consult, or
 * Transfer now when the dialog was opened with the blind key (ui/call-keys.ts).
 */
export function TransferDialog({ call, mode, onClose }: { call: CallView; mode: TransferMode; onClose: () => void }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const me = snapshot?.user?.userId;
  const [query, setQuery] = useState('');
  const [people, setPeople] = useState<DirectoryEntry[] | null>(null);
  const [foundLines, setFoundLines] = useState<LineRef[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const searchId = useId();
  const input = useRef<HTMLInputElement>(null);
  const trimmed = query.trim();
  const ownLines = snapshot?.agent?.lines ?? [];
  const lines = [...ownLines, ...foundLines.filter((line) => !ownLines.some((own) => own.lineId === line.lineId))].filter((line) => lineMatches(line, trimmed));
  // A name typed in full that no row shows (a line this agent is not a member of, a person not found yet): the server resolves it.
  const typed = trimmed !== '' && !/\s/.test(trimmed) && !lines.some((l) => l.name === trimmed) && !(people ?? []).some((p) => p.username === trimmed) ? trimmed : null;

  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const result = await bridge.invoke('directory.search', { q: trimmed, limit: 20 });
      if (!live) return;
      if (result.ok) {
        setPeople(result.value.users.filter((u) => u.userId !== me && u.userId !== call.peer.userId));
        setFoundLines(result.value.lines);
      } else setError(errorText(t, result.error));
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
        {people !== null && people.length === 0 && trimmed && lines.length === 0 && <p className="empty">{t('transfer.noMatch', { query: trimmed })}</p>}
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
                <StartButton icon={UsersRound} label={t('transfer.consult')} name={t('transfer.consultWith', { name: person.displayName })} disabled={busy} onClick={() => void start(person.username, 'consult')} />
                <StartButton icon={PhoneForwarded} label={t('transfer.blind')} name={t('transfer.blindTo', { name: person.displayName })} disabled={busy} onClick={() => void start(person.username, 'blind')} />
              </li>
            ))}
          </ul>
        )}
        {lines.length > 0 && (
          <ul className="transfer-people" aria-label={t('transfer.lines')}>
            {lines.map((line) => (
              <li key={line.lineId}>
                <span className="transfer-person">
                  <strong>{line.displayName}</strong>
                  <span className="transfer-person-detail">
                    <Headset size={14} aria-hidden="true" />
                    {line.name}
                  </span>
                </span>
                <StartButton
                  icon={PhoneForwarded}
                  label={t('transfer.toLine')}
                  name={t('transfer.toLineNamed', { name: line.displayName, customer: call.peer.displayName })}
                  disabled={busy}
                  onClick={() => void start(line.name, 'blind')}
                />
              </li>
            ))}
          </ul>
        )}
        {typed && (
          <p className="transfer-typed">
            <span className="hint">{t('transfer.typedHint')}</span>
            <StartButton icon={PhoneForwarded} label={t('transfer.typed', { name: typed })} disabled={busy} onClick={() => void start(typed, 'blind')} />
          </p>
        )}
      </section>
    </div>
  );
}
