import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '../../../shared/protocol';
import { groupConversations } from '../ui/conversations';
import { dayLabel, groupByDay } from '../ui/days';
import { CallRow } from './call-row';
import { ConversationLegs } from './conversation-legs';

/**
 * Conversations under day headings: Today, Yesterday, the weekday, then the date (finding 10). A conversation is one
 * row (where it began for this user); a transferred one lists its calls under it. `details`: see CallRow.
 */
export function DayGroups({ entries, now, onCallBack, details = false }: { entries: HistoryEntry[]; now: number; onCallBack: (entry: HistoryEntry) => void; details?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <div className="day-groups">
      {groupByDay(groupConversations(entries), (conversation) => conversation.first.startedAt, now).map((group) => {
        const label = dayLabel(group.first, now, i18n.language, t);
        return (
          <section key={group.first} className="day-group" aria-label={label}>
            <h3 className="day-heading">
              {label}
            </h3>
            <ul className="call-list">
              {group.items.map(({ conversationId, first, legs }) => (
                <CallRow key={conversationId} entry={first} onCallBack={() => onCallBack(first)} details={details} legs={legs.length > 1 ? <ConversationLegs legs={legs} /> : undefined} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
