import { useTranslation } from 'react-i18next';
import type { BridgeSnapshot } from '../../../shared/bridge';
import { useAppState, useServices } from '../state/app-context';
import { presenceOfStatus } from '../ui/presence';
import { Avatar } from './avatar';
import { ConnectionBanner } from './connection-banner';
import { StatusMenu } from './status-menu';

/** Who is signed in, their status one click away (finding 2), and the connection when it is not right. */
export function AppHeader({ snapshot }: { snapshot: BridgeSnapshot }) {
  const { t } = useTranslation();
  const { bridge, store } = useServices();
  const { settings } = useAppState();
  const user = snapshot.user!;
  const signOut = async () => {
    await bridge.invoke('auth.logout', {});
    await store.refreshSession();
  };
  return (
    <>
      <header className="topbar">
        <div className="me">
          <Avatar name={user.displayName} size="small" presence={presenceOfStatus(settings?.status ?? 'available')} />
          <span className="me-text">
            <span className="me-name">{user.displayName}</span>
            <span className="me-username">@{user.username}</span>
          </span>
        </div>
        <span className="visually-hidden">{t('app.name')}</span>
        <StatusMenu onSignOut={() => void signOut()} />
      </header>
      <ConnectionBanner connection={snapshot.connection} />
    </>
  );
}
