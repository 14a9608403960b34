import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDuration } from '../ui/format';

/** Time since the media connected (finding 1: not since the answer), updated every second. */
export function CallTimer({ since }: { since: number }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className="call-timer" role="timer" aria-label={t('call.timer')} data-volatile>
      {formatDuration(now - since)}
    </span>
  );
}
