import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../shared/phone/api';
import { ConnectionStatus } from './components/connection-status';
import { DeepLinkDialog } from './components/deep-link-dialog';
import { EndedNotice } from './components/ended-notice';
import { History } from './screens/history';
import { Home } from './screens/home';
import { IncomingCall } from './screens/incoming-call';
import { InCall } from './screens/in-call';
import { Settings } from './screens/settings';
import { SignIn } from './screens/sign-in';
import { useAppState, useServices } from './state/app-context';

type Screen = 'home' | 'history' | 'settings';
const IN_CALL_PHASES = new Set(['inviting', 'calling', 'ringback', 'accepting', 'active']);

/** The call the in-call screen shows: the newest not-held active call, else the newest outgoing one. */
function focusCall(calls: CallView[]): { current: CallView | null; others: CallView[] } {
  const live = calls.filter((c) => IN_CALL_PHASES.has(c.phase));
  const current = [...live].reverse().find((c) => !c.held) ?? live[live.length - 1] ?? null;
  return { current, others: live.filter((c) => c !== current) };
}

export function App() {
  const { t } = useTranslation();
  const { bridge, store } = useServices();
  const { snapshot, session, host } = useAppState();
  const [screen, setScreen] = useState<Screen>('home');
  const wasInCall = useRef(false);

  const calls = snapshot?.calls ?? [];
  const { current, others } = focusCall(calls);
  const incoming = host?.capabilities.incomingWindow ? [] : calls.filter((c) => c.phase === 'incoming');

  // Focus management: when a call ends (or a screen opens), the screen heading takes focus.
  useEffect(() => {
    const inCall = current !== null;
    if (wasInCall.current && !inCall) document.getElementById('screen-title')?.focus();
    wasInCall.current = inCall;
  }, [current]);
  useEffect(() => document.getElementById('screen-title')?.focus(), [screen]);

  if (!session?.user || !snapshot?.user) return <SignIn />;

  const missed = snapshot.missedCount;
  const nav = (target: Screen, label: string, badge?: string) => (
    <li>
      <button type="button" className="nav-button" aria-current={screen === target ? 'page' : undefined} onClick={() => setScreen(target)}>
        {label}
        {badge && (
          <span className="badge" aria-label={badge}>
            <span aria-hidden="true">{missed}</span>
          </span>
        )}
      </button>
    </li>
  );

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <span className="app-name">{t('app.name')}</span>
        <nav aria-label={t('app.mainNavigation')}>
          <ul>
            {nav('home', t('nav.home'))}
            {nav('history', t('nav.history'), missed > 0 ? t('nav.missedBadge', { count: missed }) : undefined)}
            {nav('settings', t('nav.settings'))}
          </ul>
        </nav>
        <ConnectionStatus connection={snapshot.connection} />
        <span className="me">{snapshot.user.displayName}</span>
        <button
          type="button"
          className="button"
          onClick={async () => {
            await bridge.invoke('auth.logout', {});
            await store.refreshSession();
          }}
        >
          {t('nav.signOut')}
        </button>
      </header>
      <EndedNotice />
      <main id="main" tabIndex={-1}>
        {current ? (
          <InCall call={current} others={others} />
        ) : screen === 'home' ? (
          <Home />
        ) : screen === 'history' ? (
          <History />
        ) : (
          <Settings />
        )}
      </main>
      {incoming.length > 0 && (
        <div className="overlay">
          <IncomingCall call={incoming[0]!} />
        </div>
      )}
      <DeepLinkDialog />
    </div>
  );
}
