import { useTranslation } from 'react-i18next';
import type { PresenceStatus } from '../../../shared/protocol';

/** A coloured dot with the status (and whose it is, when `name` is given) as text for screen readers. */
export function PresenceDot({ status, name }: { status: PresenceStatus; name?: string }) {
  const { t } = useTranslation();
  const statusText = t(`presence.${status}`);
  const label = name === undefined ? statusText : t('home.presenceOf', { name, status: statusText });
  return <span className={`presence-dot presence-${status}`} role="img" aria-label={label} title={label} />;
}
