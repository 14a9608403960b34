import { Headset, Phone } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { DirectoryLine } from '../../../shared/protocol';

/** What a caller can expect from a line now, in words (a line has no presence: it is staffed or not). */
function LineAvailability({ line }: { line: DirectoryLine }) {
  const { t } = useTranslation();
  const words = !line.staffed ? t('home.lineClosed') : line.availableAgents > 0 ? t('home.lineOpen', { count: line.availableAgents }) : t('home.lineAllBusy');
  // data-volatile: as of the last directory read (agents come and go between refreshes), so baseline pictures leave it out.
  return (
    <span className="line-availability" data-volatile>
      {words}
    </span>
  );
}

function LineRow({ line, onCall }: { line: DirectoryLine; onCall: () => void }) {
  const { t } = useTranslation();
  const label = t('home.callLine', { name: line.displayName });
  return (
    <li className="person line-entry">
      <span className="line-badge" aria-hidden="true">
        <Headset size={20} />
      </span>
      <span className="person-text">
        <span className="person-name">
          {line.displayName} <span className="person-username">@{line.name}</span>
        </span>
        <LineAvailability line={line} />
      </span>
      <span className="person-actions">
        <button type="button" className="icon-btn call" aria-label={label} title={label} onClick={onCall}>
          <Phone size={18} />
        </button>
      </span>
    </li>
  );
}

/**
 * Service lines in Contacts (issue 14): their own group above the people, each with whether an agent is on duty
 * and one Call button (a line call is a voice call to whichever agent answers).
 */
export function LineList({ lines, onCall }: { lines: readonly DirectoryLine[]; onCall: (name: string) => void }) {
  const { t } = useTranslation();
  if (lines.length === 0) return null;
  return (
    <>
      <h3 className="section-title" id="service-lines-title">
        {t('home.lines')}
      </h3>
      <ul className="people" aria-labelledby="service-lines-title">
        {lines.map((line) => (
          <LineRow key={line.lineId} line={line} onCall={() => onCall(line.name)} />
        ))}
      </ul>
    </>
  );
}
