import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../shared/protocol';
import { errorText } from '../components/error-text';
import { useServices } from './app-context';

/** Places a call through the bridge; the error (if any) is ready to show. */
export function usePlaceCall(): { placeCall: (to: string, media: Media) => Promise<void>; error: string | null; clearError: () => void } {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const [error, setError] = useState<string | null>(null);
  const placeCall = useCallback(
    async (to: string, media: Media) => {
      setError(null);
      const result = await bridge.invoke('phone.call', { to: to.trim().toLowerCase(), media });
      if (!result.ok) setError(errorText(t, result.error));
    },
    [bridge, t],
  );
  return { placeCall, error, clearError: () => setError(null) };
}
