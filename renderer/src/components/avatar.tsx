import type { PresenceStatus } from '../../../shared/protocol';
import { initials } from '../ui/format';
import { PresenceIcon } from '../ui/presence';

/**
 * A person's initials in a circle, optionally with their presence icon on the corner. Decorative:
 * the name and the presence are always written next to it.
 */
export function Avatar({ name, size = 'medium', presence }: { name: string; size?: 'small' | 'medium' | 'large' | 'huge'; presence?: PresenceStatus }) {
  return (
    <span className={`avatar avatar-${size}`} aria-hidden="true">
      <span className="avatar-initials">{initials(name)}</span>
      {presence && (
        <span className="avatar-presence">
          <PresenceIcon status={presence} size={size === 'small' ? 12 : 14} />
        </span>
      )}
    </span>
  );
}
