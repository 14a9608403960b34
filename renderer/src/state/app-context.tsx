import { createContext, useContext, useSyncExternalStore } from 'react';
import type { SoftphoneBridge } from '../../../shared/bridge';
import type { CallMedia } from '../media/call-media';
import type { AppState, AppStore } from './app-store';

export interface AppServices {
  store: AppStore;
  bridge: SoftphoneBridge;
  /** Media of this window's calls (null in the incoming-call window, which runs no media). */
  media: CallMedia | null;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(AppContext);
  if (!services) throw new Error('AppContext is missing');
  return services;
}

export function useAppState(): AppState {
  const { store } = useServices();
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
