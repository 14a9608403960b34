import type { HistoryEntry } from '../protocol';
import type { HistoryPage } from '../bridge';

/** How many entries the offline copy keeps. */
export const HISTORY_CACHE_LIMIT = 500;
const CACHE_CURSOR = /^cache:(\d{1,6})$/;

/** Merges a fresh online page into the cached list: newest first, one entry per call, bounded. */
export function mergeHistory(cached: HistoryEntry[] | null, fresh: HistoryEntry[]): HistoryEntry[] {
  const byId = new Map<string, HistoryEntry>();
  for (const entry of [...fresh, ...(cached ?? [])]) if (!byId.has(entry.callId)) byId.set(entry.callId, entry);
  return [...byId.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, HISTORY_CACHE_LIMIT);
}

/** A page of the offline copy, with its own cursors ("cache:<offset>"). */
export function pageFromCache(cached: HistoryEntry[], request: { limit: number; cursor?: string | undefined; missedOnly: boolean }): HistoryPage {
  const offset = Number(CACHE_CURSOR.exec(request.cursor ?? '')?.[1] ?? 0);
  const entries = request.missedOnly ? cached.filter((entry) => entry.missed) : cached;
  const calls = entries.slice(offset, offset + request.limit);
  const next = offset + calls.length;
  return { calls, nextCursor: next < entries.length ? `cache:${next}` : null, source: 'cache' };
}

export function isCacheCursor(cursor: string | undefined): boolean {
  return cursor !== undefined && CACHE_CURSOR.test(cursor);
}
