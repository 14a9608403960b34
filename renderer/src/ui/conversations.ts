import type { HistoryEntry } from '../../../shared/protocol';

/** A conversation in the history: its calls (the legs of a transfer, or one plain call), newest first. */
export interface Conversation {
  conversationId: string;
  /** Where the conversation began for this user (its oldest call here): the row shows it. */
  first: HistoryEntry;
  legs: HistoryEntry[];
}

/**
 * Groups history entries by conversation, in the order the service sent them (conversations newest first; a page
 * never splits one, and grouping across every loaded page also joins legs an older server or the offline copy split).
 */
export function groupConversations(entries: readonly HistoryEntry[]): Conversation[] {
  const byId = new Map<string, HistoryEntry[]>();
  for (const entry of entries) {
    const id = entry.conversationId ?? entry.callId;
    const legs = byId.get(id);
    if (!legs) byId.set(id, [entry]);
    else if (!legs.some((leg) => leg.callId === entry.callId)) legs.push(entry);
  }
  return [...byId].map(([conversationId, legs]) => {
    const newestFirst = [...legs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return { conversationId, legs: newestFirst, first: newestFirst[newestFirst.length - 1]! };
  });
}
