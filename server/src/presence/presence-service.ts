import type { PresenceStatus } from '../../../shared/protocol';

export interface PresenceSources {
  hasOnlineDevice(userId: string): boolean;
  isInActiveCall(userId: string): boolean;
}

/** Where the presence users choose (dnd or online) is kept, so it survives restarts. */
export interface PresenceChoices {
  dndUserIds(): string[];
  setPresenceChoice(userId: string, choice: 'online' | 'dnd'): void;
}

/**
 * Derives each user's presence: offline (no device connected) > busy (in an answered call) >
 * dnd (chosen with presence:set) > online. Publishes only changes, to subscribers of that user.
 * The dnd choice is stored (write-through, read once at start) and so outlives devices and restarts.
 */
export class PresenceService {
  private readonly dnd: Set<string>;
  private readonly published = new Map<string, PresenceStatus>();

  constructor(
    private readonly sources: PresenceSources,
    private readonly choices: PresenceChoices,
    private readonly publish: (userId: string, status: PresenceStatus) => void,
  ) {
    this.dnd = new Set(choices.dndUserIds());
  }

  statusOf(userId: string): PresenceStatus {
    if (!this.sources.hasOnlineDevice(userId)) return 'offline';
    if (this.sources.isInActiveCall(userId)) return 'busy';
    return this.dnd.has(userId) ? 'dnd' : 'online';
  }

  choose(userId: string, status: 'online' | 'dnd'): PresenceStatus {
    this.choices.setPresenceChoice(userId, status);
    if (status === 'dnd') this.dnd.add(userId);
    else this.dnd.delete(userId);
    return this.refresh(userId);
  }

  /** Recomputes a user's presence and publishes it if it changed. */
  refresh(userId: string): PresenceStatus {
    const status = this.statusOf(userId);
    if ((this.published.get(userId) ?? 'offline') !== status) this.publish(userId, status);
    if (status === 'offline') this.published.delete(userId);
    else this.published.set(userId, status);
    return status;
  }
}
