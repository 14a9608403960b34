import { Phone, PhoneOff, Video } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import { useServices } from '../state/app-context';
import { Avatar } from './avatar';
import { errorText } from './error-text';
import { CallContextLine } from './transfer-banners';

/**
 * A second call during a call (finding 5): a panel in the call screen, not a dialog. The current
 * call's controls stay usable, focus stays where it is, and there is no ambiguous Enter: each
 * button says what it does to which call.
 */
export function WaitingPanel({ call, current }: { call: CallView; current: CallView }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const [error, setError] = useState<string | null>(null);
  const name = call.peer.displayName;

  async function run(steps: (() => Promise<{ ok: boolean; error?: unknown }>)[]) {
    setError(null);
    for (const step of steps) {
      const result = await step();
      if (!result.ok) return setError(errorText(t, result.error));
    }
  }
  const answer = () => bridge.invoke('phone.answer', { callId: call.callId, withVideo: false });
  const holdCurrent = () => bridge.invoke('phone.hold', { callId: current.callId, held: true });
  const endCurrent = () => bridge.invoke('phone.end', { callId: current.callId, reason: 'hangup' });

  return (
    <section className="waiting-panel" aria-labelledby="waiting-title" aria-describedby="waiting-detail">
      <Avatar name={name} size="small" />
      <div className="waiting-text">
        {/* Display names can look alike: every ring surface names the username too (issue 10). */}
        <h2 id="waiting-title" aria-live="assertive">
          {t('incoming.from', { name })} <span className="waiting-username">@{call.peer.username}</span>
        </h2>
        <p id="waiting-detail">
          {call.media === 'video' ? <Video size={14} /> : <Phone size={14} />} {t('incoming.waiting', { name: current.peer.displayName })}
        </p>
        {call.context && (
          <p>
            <CallContextLine call={call} />
          </p>
        )}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="waiting-actions">
        <button type="button" className="btn btn-answer" onClick={() => void run(current.held ? [answer] : [holdCurrent, answer])}>
          <Phone size={16} />
          {t('incoming.holdAndAnswer')}
        </button>
        <button type="button" className="btn" onClick={() => void run([endCurrent, answer])}>
          {t('incoming.endAndAnswer')}
        </button>
        <button type="button" className="btn btn-danger" onClick={() => void run([() => bridge.invoke('phone.decline', { callId: call.callId })])}>
          <PhoneOff size={16} />
          {t('incoming.decline')}
        </button>
      </div>
    </section>
  );
}
