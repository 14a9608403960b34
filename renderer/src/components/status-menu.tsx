import { Check, ChevronDown, Headset, LogOut } from 'lucide-react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChosenAwayReason, LineRef } from '../../../shared/protocol';
import { USER_STATUSES, type UserStatus } from '../../../shared/settings';
import { useAppState, useServices } from '../state/app-context';
import { CHOSEN_AWAY_REASONS, SYSTEM_STATES } from '../ui/agent';
import { PresenceIcon, presenceOfStatus } from '../ui/presence';
import { AgentStateIcon, TimeInState, useAgentStateWords } from './agent-state';

/** One row of the menu: a status, and for an agent's away the reason that goes with it. */
interface Choice {
  status: UserStatus;
  reason: ChosenAwayReason | null;
}
const PLAIN_CHOICES: Choice[] = USER_STATUSES.map((status) => ({ status, reason: null }));
/** An agent of a support line chooses away with a reason (issue 14): one click each. */
const AGENT_CHOICES: Choice[] = [
  { status: 'available', reason: null },
  ...CHOSEN_AWAY_REASONS.map((reason) => ({ status: 'away' as const, reason })),
  { status: 'dnd', reason: null },
];

/** The menu's first row for an agent: the lines it answers for, by display name (not a choice: shown, never offered). */
export function AnswersFor({ lines }: { lines: readonly LineRef[] }) {
  const { t, i18n } = useTranslation();
  if (lines.length === 0) return null;
  const names = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(lines.map((line) => line.displayName));
  return (
    <li role="none">
      <button type="button" role="menuitem" aria-disabled="true" tabIndex={-1} className="menu-item menu-state">
        <Headset size={18} aria-hidden="true" />
        <span className="menu-text">{t('agent.answersFor', { lines: names })}</span>
      </button>
    </li>
  );
}

/**
 * The header's status selector (issue 12, finding 2): one click opens it, one click sets
 * Available, Away or Do not disturb; sign-out sits below. A menu button (WAI-ARIA APG): arrow keys
 * move, Home/End jump, Enter/Space choose, Escape closes and gives focus back. The options come
 * from USER_STATUSES, so the agent states of a support line slot in as more rows.
 *
 * An agent of a support line (issue 14) sees its agent state on the button (icon, words, time in the
 * state) and chooses away with a reason. What the phone sets by itself (in a call, wrap-up, offline)
 * is shown at the top of the menu, never offered: the choice underneath applies again afterwards. Above it,
 * the lines the agent answers for ("You answer for: Support and Billing"), kept live by the agent status.
 */
export function StatusMenu({ onSignOut }: { onSignOut: () => void }) {
  const { t } = useTranslation();
  const { bridge } = useServices();
  const { settings, snapshot } = useAppState();
  const agent = snapshot?.agent ?? null;
  const words = useAgentStateWords();
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
  const awayReason = settings?.awayReason ?? 'break';
  const isCurrent = (choice: Choice) =>
    choice.status === status && (!agent || choice.status !== 'away' || (agent.reason !== 'missed-offer' && choice.reason === awayReason));
  const choose = (choice: Choice) => {
    close();
    if (isCurrent(choice)) return;
    void bridge.invoke('settings.update', choice.reason ? { status: choice.status, awayReason: choice.reason } : { status: choice.status });
  };
  const choiceLabel = (choice: Choice) => (choice.reason ? t('agent.awayWith', { reason: t(`agent.reason.${choice.reason}`) }) : t(`status.${choice.status}`));
  const buttonWords = agent ? words(agent) : t(`status.${status}`);
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
        aria-label={t('status.button', { status: buttonWords })}
        onClick={() => setOpen((value) => !value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        {agent ? <AgentStateIcon state={agent.state} /> : <PresenceIcon status={presenceOfStatus(status)} />}
        <span>{buttonWords}</span>
        {agent && <TimeInState since={agent.since} />}
        <ChevronDown size={16} />
      </button>
      {open && (
        <ul ref={menu} id={menuId} className="menu" role="menu" aria-label={t('status.menu')} onKeyDown={onKeyDown}>
          {agent && <AnswersFor lines={agent.lines} />}
          {agent && (SYSTEM_STATES.has(agent.state) || agent.reason === 'missed-offer') && (
            <li role="none">
              <button type="button" role="menuitem" aria-disabled="true" tabIndex={-1} className="menu-item menu-state">
                <AgentStateIcon state={agent.state} size={18} />
                <span className="menu-text">
                  <span>{t('agent.systemState', { state: words(agent) })}</span>
                  {SYSTEM_STATES.has(agent.state) && <span className="menu-hint">{t(`agent.describe.${agent.state}`)}</span>}
                </span>
              </button>
            </li>
          )}
          {(agent ? AGENT_CHOICES : PLAIN_CHOICES).map((choice) => (
            <li key={`${choice.status}-${choice.reason ?? ''}`} role="none">
              <button type="button" role="menuitemradio" aria-checked={isCurrent(choice)} tabIndex={-1} className="menu-item" onClick={() => choose(choice)}>
                <PresenceIcon status={presenceOfStatus(choice.status)} size={18} />
                <span className="menu-text">
                  <span>{choiceLabel(choice)}</span>
                  {(!choice.reason || choice.reason === 'break') && <span className="menu-hint">{describe(choice.status)}</span>}
                </span>
                {isCurrent(choice) && <Check size={16} className="menu-check" />}
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
