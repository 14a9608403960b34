import type { TFunction } from 'i18next';

const DAY_MS = 86_400_000;

/** Midnight (local time) of the day `ms` falls on. */
function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Whole local days from `ms` to `now` (0 = today, 1 = yesterday). */
export function daysAgo(ms: number, now: number): number {
  return Math.round((startOfDay(now) - startOfDay(ms)) / DAY_MS);
}

/** "Today", "Yesterday", a weekday within the last week, else the date (finding 10: no absolute times only). */
export function dayLabel(iso: string, now: number, locale: string, t: TFunction): string {
  const ms = Date.parse(iso);
  const ago = daysAgo(ms, now);
  if (ago === 0) return t('days.today');
  if (ago === 1) return t('days.yesterday');
  if (ago > 1 && ago < 7) return new Intl.DateTimeFormat(locale, { weekday: 'long' }).format(ms);
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Intl.DateTimeFormat(locale, sameYear ? { month: 'long', day: 'numeric' } : { dateStyle: 'long' }).format(ms);
}

/** The time of day, e.g. 14:05 (or 2:05 PM where the locale says so). */
export function timeOfDay(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(Date.parse(iso));
}

/** Groups items (newest first) by local day, keeping the order. */
export function groupByDay<T>(items: T[], at: (item: T) => string, now: number): { daysAgo: number; first: string; items: T[] }[] {
  const groups: { daysAgo: number; first: string; items: T[] }[] = [];
  for (const item of items) {
    const ago = daysAgo(Date.parse(at(item)), now);
    const last = groups[groups.length - 1];
    if (last && last.daysAgo === ago) last.items.push(item);
    else groups.push({ daysAgo: ago, first: at(item), items: [item] });
  }
  return groups;
}
