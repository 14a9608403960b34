import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { dayLabel, daysAgo, groupByDay } from './days';

const t = ((key: string) => ({ 'days.today': 'Today', 'days.yesterday': 'Yesterday' })[key] ?? key) as unknown as TFunction;
const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('days', () => {
  const now = local(2025, 3, 14, 9, 30); // a Friday

  it('counts local calendar days, not 24-hour spans', () => {
    expect(daysAgo(local(2025, 3, 14, 0, 1), now)).toBe(0);
    expect(daysAgo(local(2025, 3, 13, 23, 59), now)).toBe(1);
    expect(daysAgo(local(2025, 3, 10), now)).toBe(4);
  });

  it('labels today, yesterday, the last week by weekday and older days by date', () => {
    expect(dayLabel(iso(local(2025, 3, 14, 8)), now, 'en-GB', t)).toBe('Today');
    expect(dayLabel(iso(local(2025, 3, 13, 22)), now, 'en-GB', t)).toBe('Yesterday');
    expect(dayLabel(iso(local(2025, 3, 11)), now, 'en-GB', t)).toBe('Tuesday');
    expect(dayLabel(iso(local(2025, 2, 1)), now, 'en-GB', t)).toBe('1 February');
    expect(dayLabel(iso(local(2024, 12, 31)), now, 'en-GB', t)).toBe('31 December 2024');
    expect(dayLabel(iso(local(2025, 3, 11)), now, 'zh-CN', t)).toBe('星期二');
  });

  it('groups newest-first items by day, in order', () => {
    const items = [local(2025, 3, 14, 9), local(2025, 3, 14, 7), local(2025, 3, 13, 20), local(2025, 3, 1)].map(iso);
    expect(groupByDay(items, (x) => x, now).map((g) => [g.daysAgo, g.items.length])).toEqual([
      [0, 2],
      [1, 1],
      [13, 1],
    ]);
  });
});
