import { useTranslation } from 'react-i18next';
import type { PresenceStatus } from '../../../shared/protocol';

/** A coloured dot with the status as text for screen readers. */
export function PresenceDot({ status }: { status: PresenceStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`presence-dot presence-${status}`} role="img" aria-label={t(`presence.${status}`)} title={t(`presence.${status}`)} />
  );
}
