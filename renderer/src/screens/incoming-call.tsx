import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import { Avatar } from '../components/avatar';
import { errorText } from '../components/error-text';
import { useAppState, useServices } from '../state/app-context';

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'A'].includes(target.tagName);
}

/**
 * The incoming-call screen: the desktop's incoming-call window and the web host's overlay.
 * Focus moves to Answer; Enter answers, Escape declines. During another call it offers
 * end-and-answer, hold-and-answer and decline.
 */
export function IncomingCall({ call }: { call: CallView }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { snapshot } = useAppState();
  const [error, setError] = useState<string | null>(null);
  const answerButton = useRef<HTMLButtonElement>(null);
  const others = (snapshot?.calls ?? []).filter((c) => c.callId !== call.callId && c.phase === 'active');
  const waiting = others.length > 0;
  const name = call.peer.displayName;

  useEffect(() => answerButton.current?.focus(), [call.callId]);

  async function run(steps: (() => Promise<{ ok: boolean; error?: unknown }>)[]) {
    setError(null);
    for (const step of steps) {
      const result = await step();
      if (!result.ok) {
        setError(errorText(t, result.error));
        return;
      }
    }
  }

  const answer = (withVideo: boolean) => () => bridge.invoke('phone.answer', { callId: call.callId, withVideo });
  const decline = () => run([() => bridge.invoke('phone.decline', { callId: call.callId })]);
  const holdOthers = others.filter((c) => !c.held).map((c) => () => bridge.invoke('phone.hold', { callId: c.callId, held: true }));
  const endOthers = others.map((c) => () => bridge.invoke('phone.end', { callId: c.callId, reason: 'hangup' }));
  const primary = () => run(waiting ? [...holdOthers, answer(false)] : [answer(false)]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        void decline();
      } else if (event.key === 'Enter' && !isTypingTarget(event.target)) {
        event.preventDefault();
        void primary();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section className="incoming" role="dialog" aria-modal="false" aria-labelledby="incoming-title" aria-describedby="incoming-detail">
      <Avatar name={name} size="large" />
      <h2 id="incoming-title">{t('incoming.from', { name })}</h2>
      <p id="incoming-detail">
        {call.media === 'video' ? t('incoming.video') : t('incoming.audio')}
        {waiting && <span className="block">{t('incoming.waiting')}</span>}
        {call.silent && <span className="block">{t('incoming.silent')}</span>}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="incoming-actions">
        {waiting ? (
          <>
            <button ref={answerButton} type="button" className="button answer" onClick={() => void primary()}>
              {t('incoming.holdAndAnswer')}
            </button>
            <button type="button" className="button answer" onClick={() => void run([...endOthers, answer(false)])}>
              {t('incoming.endAndAnswer')}
            </button>
          </>
        ) : (
          <>
            <button ref={answerButton} type="button" className="button answer" onClick={() => void primary()}>
              {t('incoming.answer')}
            </button>
            {call.media === 'video' && (
              <button type="button" className="button answer" onClick={() => void run([answer(true)])}>
                {t('incoming.answerVideo')}
              </button>
            )}
          </>
        )}
        <button type="button" className="button decline" onClick={() => void decline()}>
          {t('incoming.decline')}
        </button>
      </div>
      <p className="hint">{t('incoming.keyboardHint')}</p>
    </section>
  );
}
