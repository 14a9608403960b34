import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryPage } from '../../../shared/bridge';
import type { HistoryEntry } from '../../../shared/protocol';
import { errorText } from '../components/error-text';
import { useAppState, useServices } from './app-context';

/**
 * The call history from the host (online, or its offline copy), re-read whenever a call ends here.
 * `loadMore` appends the next page.
 */
export function useHistory(limit: number, missedOnly: boolean) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [entries, setEntries] = useState<HistoryEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loadedAt, setLoadedAt] = useState(() => Date.now());
  const liveCalls = snapshot?.calls.length ?? 0;

  useEffect(() => {
    let live = true;
    void bridge.invoke('history.list', { limit, missedOnly }).then((result) => {
      if (!live) return;
      if (result.ok) {
        setPage(result.value);
        setEntries(result.value.calls);
        setLoadedAt(Date.now());
        setError(null);
      } else setError(errorText(t, result.error));
    });
    return () => {
      live = false;
    };
  }, [bridge, limit, missedOnly, t, liveCalls]);

  const loadMore = useCallback(async () => {
    if (!page?.nextCursor) return;
    const result = await bridge.invoke('history.list', { limit, missedOnly, cursor: page.nextCursor });
    if (result.ok) {
      setPage(result.value);
      setEntries((current) => [...current, ...result.value.calls]);
    } else setError(errorText(t, result.error));
  }, [bridge, limit, missedOnly, page, t]);

  return { entries, page, error, loadMore, loaded: page !== null, now: loadedAt };
}
