import { CircleCheck, CircleMinus, CircleX, Clock, PhoneCall, type LucideIcon } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { PresenceStatus } from '../../../shared/protocol';
import type { UserStatus } from '../../../shared/settings';

/**
 * Presence is never colour alone (issue 12, finding 4): each status has its own icon shape and
 * its words. The icon carries the colour; the text says it.
 */
const ICONS: Record<PresenceStatus, LucideIcon> = {
  online: CircleCheck,
  away: Clock,
  busy: PhoneCall,
  dnd: CircleMinus,
  offline: CircleX,
};

/** Where people are listed, who is reachable first. */
export const PRESENCE_ORDER: readonly PresenceStatus[] = ['online', 'away', 'busy', 'dnd', 'offline'];

/** The presence a chosen status shows to others. */
export function presenceOfStatus(status: UserStatus): PresenceStatus {
  return status === 'available' ? 'online' : status;
}

export function PresenceIcon({ status, size = 16 }: { status: PresenceStatus; size?: number }) {
  const Icon = ICONS[status];
  return <Icon className={`presence-icon presence-${status}`} size={size} strokeWidth={2.25} />;
}

/** Icon and words, e.g. "(clock) Away". */
export function PresenceLabel({ status }: { status: PresenceStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`presence-label presence-label-${status}`}>
      <PresenceIcon status={status} size={14} />
      <span>{t(`presence.${status}`)}</span>
    </span>
  );
}
