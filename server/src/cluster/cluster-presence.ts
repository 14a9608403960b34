import type { Redis } from 'ioredis';
import type { ChosenPresence, PresenceStatus } from '../../../shared/protocol';
import type { PresenceFacts } from '../presence/presence-facts';
import { derivePresence, type SharedPresence } from '../presence/presence-service';
import type { DeviceDirectory } from './device-directory';

/** `presence:published:<userId>`: the status last published for the user, by whichever node (absent: offline). */
const publishedKey = (userId: string) => `presence:published:${userId}`;

export interface ClusterFactsDeps {
  directory: DeviceDirectory;
  nodeId: string;
  /** The user has a device connected to this node (this node's own registry is the truth for its devices). */
  hasLocalDevice(userId: string): boolean;
  /** Which of these users take part in an answered call (the database). */
  inAnsweredCalls(userIds: readonly string[]): Promise<Set<string>>;
}

/**
 * The facts across nodes: a user is online when a device of theirs is connected here or, in the device
 * directory, on another node (this node's own entries are left to its registry, which a connect or disconnect
 * changes before the directory does); in a call when a stored call of theirs is answered (every node writes
 * the calls table).
 */
export function clusterFacts(deps: ClusterFactsDeps): PresenceFacts {
  return {
    async onlineOf(userIds) {
      const remote = userIds.filter((userId) => !deps.hasLocalDevice(userId));
      const nodes = remote.length > 0 ? await deps.directory.nodesOf(remote) : new Map<string, string[]>();
      return new Set(userIds.filter((userId) => deps.hasLocalDevice(userId) || (nodes.get(userId) ?? []).some((node) => node !== deps.nodeId)));
    },
    inCallOf: (userIds) => deps.inAnsweredCalls(userIds),
  };
}

export interface ClusterPresenceDeps {
  redis: Redis;
  facts: PresenceFacts;
  /** The stored choices of these users, where not 'online' (the database). */
  choicesOf(userIds: readonly string[]): Promise<Map<string, ChosenPresence>>;
}

/**
 * Presence across nodes (cluster profile): online and busy from the shared facts, the choice from the
 * database, which every node writes. The last published status is in Redis, so a change is published once,
 * by the node where it happened, and a node holding none of the user's devices publishes nothing stale.
 */
export class ClusterPresence implements SharedPresence {
  constructor(private readonly deps: ClusterPresenceDeps) {}

  async statusesOf(userIds: readonly string[]): Promise<PresenceStatus[]> {
    const online = [...(await this.deps.facts.onlineOf(userIds))];
    const onlineSet = new Set(online);
    // The database only for users with a device somewhere (an offline user is offline whatever else holds).
    const [busy, choices] = online.length > 0 ? await Promise.all([this.deps.facts.inCallOf(online), this.deps.choicesOf(online)]) : [new Set<string>(), new Map<string, ChosenPresence>()];
    return userIds.map((userId) => derivePresence(onlineSet.has(userId), busy.has(userId), choices.get(userId)));
  }

  async changed(userId: string, status: PresenceStatus): Promise<boolean> {
    const key = publishedKey(userId);
    const previous = status === 'offline' ? await this.deps.redis.getdel(key) : await this.deps.redis.set(key, status, 'GET');
    return (previous ?? 'offline') !== status;
  }
}
