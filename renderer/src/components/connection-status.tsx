import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../../../shared/phone/api';

/** Always visible: online, connecting, reconnecting or offline, with the reason. */
export function ConnectionStatus({ connection }: { connection: ConnectionState }) {
  const { t } = useTranslation();
  const status = t(`connection.${connection.status}`);
  const text = connection.status !== 'online' && connection.reason ? t('connection.withReason', { status, reason: connection.reason }) : status;
  return (
    <div className={`connection-status connection-${connection.status}`} role="status" aria-label={t('connection.label')}>
      <span className="connection-dot" aria-hidden="true" />
      <span>{text}</span>
    </div>
  );
}
