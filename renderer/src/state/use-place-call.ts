import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../shared/protocol';
import { errorText } from '../components/error-text';
import type { CallFailure } from './app-store';
import { useAppState, useServices } from './app-context';

/**
 * Places a call through the bridge. Why it failed is kept in the app store, not in the component:
 * the in-call screen replaces the screen that placed the call while the invite is out, and the
 * message must still be there when that screen comes back (finding 11).
 */
export function usePlaceCall(origin: CallFailure['origin']): {
  placeCall: (to: string, media: Media) => Promise<boolean>;
  failure: CallFailure | null;
  clearFailure: () => void;
} {
  const { t } = useTranslation();
  const { bridge, store } = useServices();
  const { callFailure } = useAppState();
  const placeCall = useCallback(
    async (to: string, media: Media) => {
      const username = to.trim().toLowerCase();
      store.set({ callFailure: null });
      const result = await bridge.invoke('phone.call', { to: username, media });
      if (result.ok) return true;
      const message = result.error.code === 'USER_NOT_FOUND' ? t('dial.notFound', { name: username }) : errorText(t, result.error);
      store.set({ callFailure: { to: username, media, code: result.error.code, message, origin } });
      return false;
    },
    [bridge, store, t, origin],
  );
  const clearFailure = useCallback(() => store.set({ callFailure: null }), [store]);
  return { placeCall, failure: callFailure?.origin === origin ? callFailure : null, clearFailure };
}
