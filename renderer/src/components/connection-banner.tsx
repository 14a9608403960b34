import { TriangleAlert, WifiOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../../../shared/phone/api';

/** The sentence (an i18n key under connection.) for a connection state: plain words, no transport jargon (finding 9). */
export function connectionMessageKey(connection: ConnectionState): string {
  if (connection.status === 'online') return 'online';
  if (connection.status === 'connecting' && connection.code === null) return 'connecting';
  switch (connection.code) {
    case 'transport':
      return 'unreachable';
    case 'SHUTDOWN':
      return 'restarting';
    case 'SERVER_DISCONNECT':
      return 'closedByServer';
    case 'TOKEN_EXPIRED':
    case 'UNAUTHORIZED':
      return connection.status === 'offline' ? 'signInAgain' : 'refreshing';
    case 'PROTOCOL_MISMATCH':
      return 'updateApp';
    default:
      return connection.status === 'offline' ? 'offline' : 'reconnecting';
  }
}

/**
 * Always present for assistive technology (a status named "Connection"); visible only when the
 * phone is not online, as a banner under the header.
 */
export function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  const { t } = useTranslation();
  const text = t(`connection.${connectionMessageKey(connection)}`);
  if (connection.status === 'online') {
    return (
      <div className="visually-hidden" role="status" aria-label={t('connection.label')}>
        {text}
      </div>
    );
  }
  const Icon = connection.status === 'offline' ? WifiOff : TriangleAlert;
  return (
    <div className={`connection-banner banner ${connection.status === 'offline' ? 'banner-error' : 'banner-warning'}`} role="status" aria-label={t('connection.label')}>
      <Icon size={16} />
      <span>{text}</span>
    </div>
  );
}
