import type { Redis } from 'ioredis';
import type { ChosenPresence, PresenceStatus } from '../../../shared/protocol';
import type { PresenceFacts } from '../presence/presence-facts';
import { derivePresence, type SharedPresence } from '../presence/presence-service';
import { devicesKey, type DeviceDirectory } from './device-directory';

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
  directory: DeviceDirectory;
  facts: PresenceFacts;
  /** The stored choices of these users, where not 'online' (the database). */
  choicesOf(userIds: readonly string[]): Promise<Map<string, ChosenPresence>>;
}

/**
 * KEYS: the user's directory entries, the last published status. ARGV: the status the user has while a device is
 * connected (busy, the choice or online). The status is decided here, from the directory as it is at this moment
 * (no device anywhere: offline), and compared with and stored as the published one in the same step, so two nodes
 * publishing at once cannot leave a status the directory no longer backs. Returns the status when it changed.
 */
const PUBLISH = `
local status = ARGV[1]
if redis.call('HLEN', KEYS[1]) == 0 then status = 'offline' end
local previous = redis.call('GET', KEYS[2]) or 'offline'
if status == 'offline' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], status) end
if previous == status then return false end
return status`;

/**
 * Presence across nodes (cluster profile). Reads: online and busy from the shared facts (clusterFacts), the
 * choice from the database, which every node writes. Publishing: whether the user is online at all is decided by the directory inside Redis, in one step
 * with the last published status (`PUBLISH`), and a node publishes again once its own directory change is done
 * (attach, detach, sweep); so the last publish always reflects the directory, whichever node made it, and a
 * change is published once.
 */
export class ClusterPresence implements SharedPresence {
  constructor(private readonly deps: ClusterPresenceDeps) {}

  async statusesOf(userIds: readonly string[]): Promise<PresenceStatus[]> {
    const online = [...(await this.deps.facts.onlineOf(userIds))];
    const onlineSet = new Set(online);
    // The database only for users with a device somewhere (an offline user is offline whatever else holds).
    const [busy, choices] = online.length > 0 ? await this.busyAndChoices(online) : [new Set<string>(), new Map<string, ChosenPresence>()];
    return userIds.map((userId) => derivePresence(onlineSet.has(userId), busy.has(userId), choices.get(userId)));
  }

  async publish(userId: string): Promise<PresenceStatus | null> {
    // No device anywhere: the database is not asked (the script decides offline unless a device attached meanwhile,
    // whose node publishes its own status right after).
    const anyDevice = (await this.deps.directory.nodesOf([userId])).get(userId)?.length ?? 0;
    const [busy, choices] = anyDevice > 0 ? await this.busyAndChoices([userId]) : [new Set<string>(), new Map<string, ChosenPresence>()];
    const whileConnected = derivePresence(true, busy.has(userId), choices.get(userId));
    const changed = await this.deps.redis.eval(PUBLISH, 2, devicesKey(userId), publishedKey(userId), whileConnected);
    return typeof changed === 'string' ? (changed as PresenceStatus) : null;
  }

  private busyAndChoices(userIds: readonly string[]): Promise<[Set<string>, Map<string, ChosenPresence>]> {
    return Promise.all([this.deps.facts.inCallOf(userIds), this.deps.choicesOf(userIds)]);
  }
}
