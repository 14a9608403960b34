import { useTranslation } from 'react-i18next';
import { IncomingCall } from './screens/incoming-call';
import { useAppState } from './state/app-context';

/** The desktop's incoming-call window (#/incoming): the first ringing call, nothing else. */
export function IncomingWindow() {
  const { t } = useTranslation();
  const { snapshot } = useAppState();
  const ringing = snapshot?.calls.find((c) => c.phase === 'incoming');
  return <main className="incoming-window">{ringing ? <IncomingCall call={ringing} /> : <p className="muted">{t('incoming.title')}</p>}</main>;
}
