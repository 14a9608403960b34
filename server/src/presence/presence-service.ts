import type { ChosenPresence, PresenceStatus } from '../../../shared/protocol';

export interface PresenceSources {
  hasOnlineDevice(userId: string): boolean;
  isInActiveCall(userId: string): boolean;
}

/** Where the presence users choose (online, dnd, away) is kept, so it survives restarts. */
export interface PresenceChoices {
  /** Every user whose choice is not the default 'online'. */
  presenceChoices(): Promise<Array<{ userId: string; choice: ChosenPresence }>>;
  setPresenceChoice(userId: string, choice: ChosenPresence, reason?: string | null): Promise<void>;
}

/**
 * Derives each user's presence: offline (no device connected) > busy (in an answered call) >
 * the chosen dnd or away > online. Publishes only changes, to subscribers of that user.
 * The choice is stored (write-through, read once at start) and so outlives devices and restarts.
 */
export class PresenceService {
  private readonly chosen = new Map<string, ChosenPresence>();
  private readonly published = new Map<string, PresenceStatus>();

  constructor(
    private readonly sources: PresenceSources,
    private readonly choices: PresenceChoices,
    private readonly publish: (userId: string, status: PresenceStatus) => void,
  ) {}

  /** Reads the stored choices (once, at start). */
  async load(): Promise<void> {
    for (const { userId, choice } of await this.choices.presenceChoices()) this.chosen.set(userId, choice);
  }

  statusOf(userId: string): PresenceStatus {
    if (!this.sources.hasOnlineDevice(userId)) return 'offline';
    if (this.sources.isInActiveCall(userId)) return 'busy';
    return this.chosen.get(userId) ?? 'online';
  }

  /** `reason`: why an agent is away (stored with the choice; only with 'away'). */
  async choose(userId: string, status: ChosenPresence, reason: string | null = null): Promise<PresenceStatus> {
    await this.choices.setPresenceChoice(userId, status, reason);
    if (status === 'online') this.chosen.delete(userId);
    else this.chosen.set(userId, status);
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
