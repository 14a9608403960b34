import { Check, ChevronDown, LogOut } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { USER_STATUSES, type UserStatus } from '../../../shared/settings';
import { useAppState, useServices } from '../state/app-context';
import { PresenceIcon, presenceOfStatus } from '../ui/presence';

/**
 * The header's status selector (issue 12, finding 2): one click opens it, one click sets
 * Available, Away or Do not disturb; sign-out sits below. A menu button (WAI-ARIA APG): arrow keys
 * move, Home/End jump, Enter/Space choose, Escape closes and gives focus back. The options come
 * from USER_STATUSES, so the agent states of a support line slot in as more rows.
 */
export function StatusMenu({ onSignOut }: { onSignOut: () => void }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { settings } = useAppState();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useId();
  const status = settings?.status ?? 'available';

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
  useEffect(() => {
    if (!open) return;
    items()
      .find((item) => item.getAttribute('aria-checked') === 'true')
      ?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const choose = (next: UserStatus) => {
    close();
    if (next !== status) void bridge.invoke('settings.update', { status: next });
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(all.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Tab') setOpen(false);
  };
  const describe = (option: UserStatus) => (option === 'dnd' ? t(`status.describe.dnd-${settings?.dndMode ?? 'reject'}`) : t(`status.describe.${option}`));

  return (
    <div className="status-menu">
      <button
        ref={button}
        type="button"
        className="status-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={t('status.button', { status: t(`status.${status}`) })}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <PresenceIcon status={presenceOfStatus(status)} />
        <span>{t(`status.${status}`)}</span>
        <ChevronDown size={16} />
      </button>
      {open && (
        <ul ref={menu} id={menuId} className="menu" role="menu" aria-label={t('status.menu')} onKeyDown={onKeyDown}>
          {USER_STATUSES.map((option) => (
            <li key={option} role="none">
              <button type="button" role="menuitemradio" aria-checked={option === status} tabIndex={-1} className="menu-item" onClick={() => choose(option)}>
                <PresenceIcon status={presenceOfStatus(option)} size={18} />
                <span className="menu-text">
                  <span>{t(`status.${option}`)}</span>
                  <span className="menu-hint">{describe(option)}</span>
                </span>
                {option === status && <Check size={16} className="menu-check" />}
              </button>
            </li>
          ))}
          <li role="separator" className="menu-separator" />
          <li role="none">
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              onClick={() => {
                setOpen(false);
                onSignOut();
              }}
            >
              <LogOut size={18} />
              <span className="menu-text">{t('nav.signOut')}</span>
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}
