import type { HistoryEntry } from '../../../shared/protocol';

/** 0:07, 12:34, 1:02:03 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/** Up to two initials from a display name (letters of the first and last word, or the first two CJK characters). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (words.length === 1) return [...words[0]!].slice(0, /^[\p{Script=Han}]/u.test(words[0]!) ? 2 : 1).join('').toUpperCase();
  return ([...words[0]!][0]! + [...words[words.length - 1]!][0]!).toUpperCase();
}

export type HistoryKind = 'incoming' | 'outgoing' | 'missed' | 'declined';

/** How the history screen labels an entry. */
export function historyKind(entry: HistoryEntry): HistoryKind {
  if (entry.missed) return 'missed';
  if (entry.outcome === 'declined') return 'declined';
  return entry.direction;
}

/** The i18n key (under history.) of an outcome that is worth showing next to the kind, if any. */
export function outcomeKey(entry: HistoryEntry): string | null {
  switch (entry.outcome) {
    case 'cancelled':
      return 'cancelled';
    case 'busy':
      return 'busy';
    case 'no-answer':
      return 'noAnswer';
    case 'unavailable':
      return 'unavailable';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}
