import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState, useServices } from '../state/app-context';

/** A link asked to call someone: ask first, never dial silently. */
export function DeepLinkDialog() {
  const { t } = useTranslation();
  const { bridge, store } = useServices();
  const { deepLink, deepLinkError } = useAppState();
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), [deepLink?.promptId]);

  if (deepLinkError) {
    return (
      <div className="dialog" role="alertdialog" aria-labelledby="link-error">
        <p id="link-error">{deepLinkError}</p>
        <button type="button" className="btn" onClick={() => store.set({ deepLinkError: null })}>
          {t('call.dismiss')}
        </button>
      </div>
    );
  }
  if (!deepLink) return null;
  const answer = async (accept: boolean, media: 'audio' | 'video') => {
    store.set({ deepLink: null });
    await bridge.invoke('deepLink.confirm', { promptId: deepLink.promptId, accept, media });
  };
  return (
    <div
      className="dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="link-title"
      aria-describedby="link-body"
      onKeyDown={(e) => {
        if (e.key === 'Escape') void answer(false, 'audio');
      }}
    >
      <h2 id="link-title">{t('deepLink.title', { name: deepLink.username })}</h2>
      <p id="link-body">{t('deepLink.body', { name: deepLink.username })}</p>
      <button ref={first} type="button" className="btn btn-primary" onClick={() => void answer(true, 'audio')}>
        {t('deepLink.callAudio')}
      </button>
      <button type="button" className="btn" onClick={() => void answer(true, 'video')}>
        {t('deepLink.callVideo')}
      </button>
      <button type="button" className="btn" onClick={() => void answer(false, deepLink.media)}>
        {t('deepLink.dismiss')}
      </button>
    </div>
  );
}
