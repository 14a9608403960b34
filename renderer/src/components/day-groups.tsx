import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../shared/protocol';
import { dayLabel, groupByDay } from '../ui/days';
import { CallRow } from './call-row';

/** Calls under day headings: Today, Yesterday, the weekday, then the date (finding 10); `details`: see CallRow. */
export function DayGroups({ entries, now, onCallBack, details = false }: { entries: HistoryEntry[]; now: number; onCallBack: (entry: HistoryEntry) => void; details?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="day-groups">
      {groupByDay(entries, (entry) => entry.startedAt, now).map((group) => {
        const label = dayLabel(group.first, now, i18n.language, t);
        return (
          <section key={group.first} className="day-group" aria-label={label}>
            <h3 className="day-heading">
              {label}
            </h3>
            <ul className="call-list">
              {group.items.map((entry) => (
                <CallRow key={entry.callId} entry={entry} onCallBack={() => onCallBack(entry)} details={details} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
