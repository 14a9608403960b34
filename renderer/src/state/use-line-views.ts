import { useEffect, useState } from 'react';
import type { LineView } from '../../../shared/protocol';
import { errorText } from '../components/error-text';
import { useTranslation } from 'react-i18next';
import { useServices } from './app-context';

/**
 * The supervisor's live line views (issue 14): lists the lines this user may see, watches all of them
 * while the screen is open (the server pushes a full snapshot per line on every change), and stops
 * watching when it closes. The host renews the watch after a reconnect.
 */
export function useLineViews(): { views: LineView[]; loaded: boolean; error: string | null } {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const [views, setViews] = useState<LineView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      bridge.on('lines.view', (view) =>
        setViews((previous) => {
          const index = previous.findIndex((v) => v.line.lineId === view.line.lineId);
          if (index === -1) return previous;
          // Snapshots from several nodes may cross: keep the newer one.
          if (Date.parse(previous[index]!.at) > Date.parse(view.at)) return previous;
          return previous.map((v, i) => (i === index ? view : v));
        }),
      ),
    [bridge],
  );

  useEffect(() => {
    let current = true;
    void (async () => {
      const list = await bridge.invoke('lines.list', {});
      if (!current) return;
      if (!list.ok) return (setError(errorText(t, list.error)), setLoaded(true));
      const watched = await bridge.invoke('lines.watch', { lineIds: list.value.lines.filter((line) => !line.closedAt).map((line) => line.lineId) });
      if (!current) return;
      if (watched.ok) setViews(watched.value.views);
      else setError(errorText(t, watched.error));
      setLoaded(true);
    })();
    return () => {
      current = false;
      void bridge.invoke('lines.watch', { lineIds: [] });
    };
  }, [bridge, t]);

  return { views, loaded, error };
}
