import type { ChosenPresence, PresenceStatus } from '../../../shared/protocol';

export interface PresenceSources {
  hasOnlineDevice(userId: string): boolean;
  isInActiveCall(userId: string): boolean;
}

/** Where the presence users choose (online, dnd, away) is kept, so it survives restarts. */
export interface PresenceChoices {
  /** Every user whose choice is not the default 'online'. */
  presenceChoices(): Promise<Array<{ userId: string; choice: ChosenPresence }>>;
  /** The stored choice of these users, where it is not 'online'. */
  presenceChoicesOf(userIds: readonly string[]): Promise<Map<string, ChosenPresence>>;
  setPresenceChoice(userId: string, choice: ChosenPresence, reason?: string | null): Promise<void>;
}

/**
 * Presence across nodes (cluster profile): the devices, answered calls and choices of users anywhere, and
 * the last status published for a user, shared so that one node's change is published once.
 */
export interface SharedPresence {
  statusesOf(userIds: readonly string[]): Promise<PresenceStatus[]>;
  /**
   * Derives the user's status from the shared state as it is now and records it as the published one; returns it
   * when it differs from the last published (by any node), else null.
   */
  publish(userId: string): Promise<PresenceStatus | null>;
}

/** offline (no device connected) > busy (in an answered call) > the chosen dnd or away > online. */
export function derivePresence(online: boolean, busy: boolean, chosen: ChosenPresence | undefined): PresenceStatus {
  if (!online) return 'offline';
  if (busy) return 'busy';
  return chosen ?? 'online';
}

/**
 * Derives each user's presence and publishes only changes, to subscribers of that user. The choice is
 * stored (write-through, read once at start) and so outlives devices and restarts.
 *
 * In one process (single profile) this process's connections, calls and choices are the whole truth. In the
 * cluster profile a user's devices, calls and choice may be on other nodes: what others read
 * (`statusesOf`) and what is published (`refresh`) come from the shared state (`shared`). `statusOf` stays
 * this node's view: right for a user whose device connected here (the handshake refreshed their calls and
 * choice), so session:ready carries it at once.
 */
export class PresenceService {
  private readonly chosen = new Map<string, ChosenPresence>();
  private readonly published = new Map<string, PresenceStatus>();

  constructor(
    private readonly sources: PresenceSources,
    private readonly choices: PresenceChoices,
    private readonly publish: (userId: string, status: PresenceStatus) => void,
    private readonly shared: SharedPresence | null = null,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Reads the stored choices (once, at start). */
  async load(): Promise<void> {
    for (const { userId, choice } of await this.choices.presenceChoices()) this.chosen.set(userId, choice);
  }

  /** This node's copy of a user's choice from storage (a device of theirs connecting here; cluster). */
  async reloadChoiceOf(userId: string): Promise<void> {
    const choice = (await this.choices.presenceChoicesOf([userId])).get(userId);
    if (choice) this.chosen.set(userId, choice);
    else this.chosen.delete(userId);
  }

  /** This node's view of a user's presence (see the class comment). */
  statusOf(userId: string): PresenceStatus {
    return derivePresence(this.sources.hasOnlineDevice(userId), this.sources.isInActiveCall(userId), this.chosen.get(userId));
  }

  /** Users' presence as anyone may read it (subscriptions, the directory). */
  async statusesOf(userIds: readonly string[]): Promise<PresenceStatus[]> {
    return this.shared ? this.shared.statusesOf(userIds) : userIds.map((userId) => this.statusOf(userId));
  }

  /** `reason`: why an agent is away (stored with the choice; only with 'away'). */
  async choose(userId: string, status: ChosenPresence, reason: string | null = null): Promise<PresenceStatus> {
    await this.choices.setPresenceChoice(userId, status, reason);
    if (status === 'online') this.chosen.delete(userId);
    else this.chosen.set(userId, status);
    return this.refresh(userId);
  }

  /** Recomputes a user's presence and publishes it if it changed; returns this node's view. */
  refresh(userId: string): PresenceStatus {
    const status = this.statusOf(userId);
    if (this.shared) {
      this.publishShared(userId).catch(this.onError);
      return status;
    }
    if ((this.published.get(userId) ?? 'offline') !== status) this.publish(userId, status);
    if (status === 'offline') this.published.delete(userId);
    else this.published.set(userId, status);
    return status;
  }

  private async publishShared(userId: string): Promise<void> {
    const status = await this.shared!.publish(userId);
    if (status) this.publish(userId, status);
  }
}
