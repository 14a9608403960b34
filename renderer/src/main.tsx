// First: zod must be jitless before any schema is built (the app's CSP refuses eval).
import '../../shared/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ROUTES } from '../../shared/bridge';
import { App } from './app';
import { connectBridge } from './bridge';
import { changeLocale, initI18n, resolveLocale } from './i18n';
import { IncomingWindow } from './incoming-window';
import { CallMedia } from './media/call-media';
import { ProgressTones } from './media/progress-tones';
import { Ringer } from './media/ringer';
import { AppContext, type AppServices } from './state/app-context';
import { AppStore } from './state/app-store';
import { installPalette } from './theme/palette';
import './theme/tokens.css';
import './theme/base.css';
import './theme/layout.css';
import './theme/lists.css';
import './theme/call.css';
import './theme/transfer.css';
import './theme/forms.css';

async function boot(): Promise<void> {
  installPalette(document.documentElement);
  const bridge = await connectBridge();
  const store = new AppStore(bridge);
  await store.start();
  const { settings, host } = store.current;
  const systemLanguages = () => navigator.languages ?? [navigator.language];
  await initI18n(resolveLocale(settings!.language, systemLanguages()));
  bridge.on('settings.changed', (next) => void changeLocale(resolveLocale(next.language, systemLanguages())));

  const incomingRoute = window.location.hash === `#${ROUTES.incoming}`;
  const speakerId = () => store.current.settings?.devices.speakerId ?? null;
  let media: CallMedia | null = null;
  if (!incomingRoute) {
    media = new CallMedia(bridge);
    media.start(settings!, store.current.snapshot);
    new ProgressTones(bridge, speakerId).start();
  }
  // The window that shows the incoming UI plays the ringtone: the incoming window on the desktop, the page on the web.
  if (incomingRoute || !host?.capabilities.incomingWindow) new Ringer(bridge, speakerId).start();

  const services: AppServices = { store, bridge, media };
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AppContext.Provider value={services}>{incomingRoute ? <IncomingWindow /> : <App />}</AppContext.Provider>
    </StrictMode>,
  );
}

boot().catch((error: unknown) => {
  const root = document.getElementById("root");
  if (root) root.textContent = error instanceof Error ? error.message : String(error);
});
