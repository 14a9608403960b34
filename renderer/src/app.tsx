import { Headset, History as HistoryIcon, House, Settings as SettingsIcon, type LucideIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../shared/phone/api';
import { AppHeader } from './components/app-header';
import { CallSummary } from './components/call-summary';
import { DeepLinkDialog } from './components/deep-link-dialog';
import { MissedOfferBanner } from './components/missed-offer-banner';
import { WrapUpPanel } from './components/wrap-up-panel';
import { History } from './screens/history';
import { Home } from './screens/home';
import { IncomingCall } from './screens/incoming-call';
import { InCall } from './screens/in-call';
import { LineViewScreen } from './screens/line-view';
import { Settings } from './screens/settings';
import { SignIn } from './screens/sign-in';
import { useAppState } from './state/app-context';

export type Screen = 'home' | 'history' | 'lines' | 'settings';
const IN_CALL_PHASES = new Set(['inviting', 'calling', 'ringback', 'accepting', 'active']);
const TABS: { screen: Screen; icon: LucideIcon }[] = [
  { screen: 'home', icon: House },
  { screen: 'history', icon: HistoryIcon },
  { screen: 'lines', icon: Headset },
  { screen: 'settings', icon: SettingsIcon },
];
/** The line view is for supervisors and admins only (issue 14). */
const supervises = (roles: readonly string[]) => roles.includes('supervisor') || roles.includes('admin');

/** The call the in-call screen shows: the newest not-held active call, else the newest outgoing one. */
function focusCall(calls: CallView[]): { current: CallView | null; others: CallView[] } {
  const live = calls.filter((c) => IN_CALL_PHASES.has(c.phase));
  const current = [...live].reverse().find((c) => !c.held) ?? live[live.length - 1] ?? null;
  return { current, others: live.filter((c) => c !== current) };
}

export function App() {
  const { t } = useTranslation();
  const { snapshot, session, host, callFailure } = useAppState();
  const [screen, setScreen] = useState<Screen>('home');
  const wasInCall = useRef(false);

  const calls = snapshot?.calls ?? [];
  const { current, others } = focusCall(calls);
  // The desktop shows ringing calls in its own incoming-call window; the web host shows them here.
  const ringing = host?.capabilities.incomingWindow ? [] : calls.filter((c) => c.phase === 'incoming');

  // Focus management: when a call ends (or a screen opens), the screen heading takes focus; a call
  // that could not be placed leaves it on the field that says why.
  useEffect(() => {
    const inCall = current !== null;
    // An agent's wrap-up panel, when one opens as the call ends, takes focus before the screen heading.
    if (wasInCall.current && !inCall && !callFailure) (document.querySelector<HTMLElement>('[data-focus-after-call]') ?? document.getElementById('screen-title'))?.focus();
    wasInCall.current = inCall;
  }, [current, callFailure]);
  useEffect(() => document.getElementById('screen-title')?.focus(), [screen]);

  if (!session?.user || !snapshot?.user) return <SignIn />;

  const missed = snapshot.missedCount;
  const tabs = TABS.filter((tab) => tab.screen !== 'lines' || supervises(snapshot.roles));
  const wrapUp = snapshot.agent?.wrapUp && !snapshot.agent.wrapUp.endedAt ? snapshot.agent.wrapUp : null;
  return (
    <div className={current ? 'app app-in-call' : 'app'}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <AppHeader snapshot={snapshot} />
      {!current && (
        <nav className="tabs" aria-label={t('app.mainNavigation')}>
          <ul>
            {tabs.map(({ screen: target, icon: Icon }) => (
              <li key={target}>
                <button type="button" className="tab" aria-current={screen === target ? 'page' : undefined} onClick={() => setScreen(target)}>
                  <Icon size={18} />
                  <span>{t(`nav.${target}`)}</span>
                  {target === 'history' && missed > 0 && (
                    <span className="badge" aria-label={t('nav.missedBadge', { count: missed })}>
                      <span aria-hidden="true">{missed}</span>
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <MissedOfferBanner agent={snapshot.agent} />
      <main id="main" tabIndex={-1} className="main">
        <CallSummary />
        {!current && wrapUp && <WrapUpPanel key={wrapUp.callId} task={wrapUp} />}
        {current ? (
          <InCall call={current} others={others} waiting={ringing} />
        ) : screen === 'home' ? (
          <Home onShowHistory={() => setScreen('history')} />
        ) : screen === 'history' ? (
          <History />
        ) : screen === 'lines' && supervises(snapshot.roles) ? (
          <LineViewScreen />
        ) : (
          <Settings />
        )}
      </main>
      {!current && ringing.length > 0 && (
        <div className="overlay">
          <IncomingCall call={ringing[0]!} />
        </div>
      )}
      <DeepLinkDialog />
    </div>
  );
}
