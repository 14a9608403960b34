import type { PresenceSources } from './presence-service';

/**
 * The two system facts presence and agent states are derived from: which users have a device connected and
 * which take part in an answered call. On the single profile this process's connections and calls are the
 * whole truth (`localFacts`, no storage round trip); on the cluster profile they are shared state (the Redis
 * device directory and the stored calls: `clusterFacts` in cluster/cluster-presence.ts), so a node judges an
 * agent connected to, or talking on, another node like one of its own.
 */
export interface PresenceFacts {
  /** Which of these users have a device connected (on any node). */
  onlineOf(userIds: readonly string[]): Promise<Set<string>>;
  /** Which of these users take part in an answered call (on any node). */
  inCallOf(userIds: readonly string[]): Promise<Set<string>>;
}

/** This process's view: the single profile, where it is the only one. */
export function localFacts(sources: PresenceSources): PresenceFacts {
  return {
    onlineOf: (userIds) => Promise.resolve(new Set(userIds.filter((userId) => sources.hasOnlineDevice(userId)))),
    inCallOf: (userIds) => Promise.resolve(new Set(userIds.filter((userId) => sources.isInActiveCall(userId)))),
  };
}
