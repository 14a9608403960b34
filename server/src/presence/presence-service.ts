import type { PresenceStatus } from '../../../shared/protocol';

export interface PresenceSources {
  hasOnlineDevice(userId: string): boolean;
  isInActiveCall(userId: string): boolean;
}

/**
 * Derives each user's presence: offline (no device connected) > busy (in an answered call) >
 * dnd (chosen with presence:set) > online. Publishes only changes, to subscribers of that user.
 * The dnd choice lives in memory: clients set it again after session:ready.
 */
export class PresenceService {
  private readonly dnd = new Set<string>();
  private readonly published = new Map<string, PresenceStatus>();

  constructor(
    private readonly sources: PresenceSources,
    private readonly publish: (userId: string, status: PresenceStatus) => void,
  ) {}

  statusOf(userId: string): PresenceStatus {
    if (!this.sources.hasOnlineDevice(userId)) return 'offline';
    if (this.sources.isInActiveCall(userId)) return 'busy';
    return this.dnd.has(userId) ? 'dnd' : 'online';
  }

  choose(userId: string, status: 'online' | 'dnd'): PresenceStatus {
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
