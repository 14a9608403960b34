import { Headset, Phone, PhoneOff, Video } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import { Avatar } from '../components/avatar';
import { errorText } from '../components/error-text';
import { CallContextLine } from '../components/transfer-banners';
import { useAppState, useServices } from '../state/app-context';
import { useNow } from '../ui/use-now';

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'A'].includes(target.tagName);
}

/**
 * A call rings while this side is in no other call: the desktop's incoming-call window and the web
 * host's overlay (a call during a call shows the call-waiting panel instead). Focus moves to
 * Answer; Enter answers, Escape declines; Tab stays inside.
 */
export function IncomingCall({ call }: { call: CallView }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const [error, setError] = useState<string | null>(null);
  const answerButton = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLElement>(null);
  const name = call.peer.displayName;
  const autoAnswer = useAppState().snapshot?.autoAnswer;

  useEffect(() => answerButton.current?.focus(), [call.callId]);

  async function run(action: () => Promise<{ ok: boolean; error?: unknown }>) {
    setError(null);
    const result = await action();
    if (!result.ok) setError(errorText(t, result.error));
  }
  const answer = (withVideo: boolean) => run(() => bridge.invoke('phone.answer', { callId: call.callId, withVideo }));
  const decline = () => run(() => bridge.invoke('phone.decline', { callId: call.callId }));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        void decline();
      } else if (event.key === 'Enter' && !isTypingTarget(event.target)) {
        event.preventDefault();
        void answer(false);
      } else if (event.key === 'Tab') {
        const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('button') ?? [])];
        const index = focusable.indexOf(document.activeElement as HTMLElement);
        const next = event.shiftKey ? index - 1 : index + 1;
        if (index === -1 || next < 0 || next >= focusable.length) {
          event.preventDefault();
          focusable[(next + focusable.length) % focusable.length]?.focus();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <section ref={dialog} className="incoming" role="dialog" aria-modal="true" aria-labelledby="incoming-title" aria-describedby="incoming-detail">
      <p className="incoming-kind">
        {call.line ? <Headset size={16} /> : call.media === 'video' ? <Video size={16} /> : <Phone size={16} />}
        {call.line ? t('lineCall.lineCall', { line: call.line.displayName }) : call.media === 'video' ? t('incoming.video') : t('incoming.audio')}
      </p>
      <Avatar name={name} size="huge" />
      <h2 id="incoming-title">{t('incoming.from', { name })}</h2>
      <p id="incoming-detail" className="incoming-detail">
        <span className="incoming-username">@{call.peer.username}</span>
        <CallContextLine call={call} />
        {call.line && <span className="incoming-line">{t('lineCall.via', { line: `${call.line.displayName} (@${call.line.name})` })}</span>}
        {call.silent && <span className="incoming-silent">{t('incoming.silent')}</span>}
      </p>
      {autoAnswer?.callId === call.callId && <AutoAnswerNotice callId={call.callId} at={autoAnswer.at} />}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="incoming-actions">
        <button type="button" className="round-action decline" onClick={() => void decline()}>
          <span className="round-icon">
            <PhoneOff size={26} />
          </span>
          <span>{t('incoming.decline')}</span>
        </button>
        {call.media === 'video' && (
          <button type="button" className="round-action answer" onClick={() => void answer(true)}>
            <span className="round-icon">
              <Video size={26} />
            </span>
            <span>{t('incoming.answerVideo')}</span>
          </button>
        )}
        <button ref={answerButton} type="button" className="round-action answer" onClick={() => void answer(false)}>
          <span className="round-icon">
            <Phone size={26} />
          </span>
          <span>{t('incoming.answer')}</span>
        </button>
      </div>
      <p className="hint">{t('incoming.keyboardHint')}</p>
    </section>
  );
}

/** This line call answers by itself (the agent's auto-answer setting): a countdown, and a way to let it ring instead. */
function AutoAnswerNotice({ callId, at }: { callId: string; at: string }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const now = useNow(250);
  const seconds = Math.max(0, Math.ceil((Date.parse(at) - now) / 1000));
  return (
    <p className="incoming-auto-answer" role="status">
      <span>{t('lineCall.autoAnswerIn', { seconds })}</span>
      <button type="button" className="btn" onClick={() => void bridge.invoke('phone.cancelAutoAnswer', { callId })}>
        {t('lineCall.stopAutoAnswer')}
      </button>
    </p>
  );
}
