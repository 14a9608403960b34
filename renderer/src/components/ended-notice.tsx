import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallView } from '../../../shared/phone/api';
import { useServices } from '../state/app-context';

const SHOW_MS = 8_000;

/** Why the last call ended (declined, busy, media failed...), shown for a few seconds. */
export function EndedNotice() {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const [ended, setEnded] = useState<CallView | null>(null);

  useEffect(() => bridge.on('phone.ended', ({ call }) => setEnded(call)), [bridge]);
  useEffect(() => {
    if (!ended) return;
    const timer = setTimeout(() => setEnded(null), SHOW_MS);
    return () => clearTimeout(timer);
  }, [ended]);

  if (!ended) return null;
  const reason = ended.endReason ?? 'hangup';
  return (
    <div className="banner banner-info ended-notice" role="status">
      <span>{t(`call.endReason.${reason}`, { name: ended.peer.displayName })}</span>
      <button type="button" className="link-button" onClick={() => setEnded(null)}>
        {t('call.dismiss')}
      </button>
    </div>
  );
}
