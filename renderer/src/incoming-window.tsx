import { useTranslation } from 'react-i18next';
import { WaitingPanel } from './components/waiting-panel';
import { IncomingCall } from './screens/incoming-call';
import { useAppState } from './state/app-context';

/**
 * The desktop's incoming-call window (#/incoming): the first ringing call. During another call it
 * offers the call-waiting choices (hold and answer, end and answer, decline) for it.
 */
export function IncomingWindow() {
  const { t } = useTranslation();
  const { snapshot } = useAppState();
  const calls = snapshot?.calls ?? [];
  const ringing = calls.find((c) => c.phase === 'incoming');
  const current = calls.find((c) => c.phase === 'active' && c.callId !== ringing?.callId);
  return (
    <main className="incoming-window">
      {!ringing ? <p className="muted">{t('incoming.title')}</p> : current ? <WaitingPanel call={ringing} current={current} /> : <IncomingCall call={ringing} />}
    </main>
  );
}
