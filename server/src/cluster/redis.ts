import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';

/** What a connection is for: its name in Redis (`CLIENT LIST`) and in the logs. */
export type RedisRole = 'adapter' | 'limits' | 'timers' | 'registry' | 'liveness';

/** The longest wait between two reconnection attempts: a returning Redis is found within this. */
export const REDIS_RECONNECT_MAX_MS = 2_000;

/** The longest a non-blocking command may take before it fails. */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

/** How long errors of one connection stay quiet after one is logged (a Redis that is down fails every retry). */
const ERROR_LOG_EVERY_MS = 10_000;

/**
 * The one place the service opens Redis connections (cluster profile). Every connection:
 * - has an `error` listener, so a Redis restart or a lost network never crashes the node (ioredis
 *   emits `error` on every failed reconnection attempt; an unhandled one would end the process);
 * - reconnects by itself, forever, backing off to REDIS_RECONNECT_MAX_MS;
 * - fails a command at once while disconnected (`enableOfflineQueue: false`) unless `blocking`, so a
 *   request that needs Redis gets a clear error instead of hanging until Redis returns.
 * `blocking` connections (BullMQ workers, the adapter's XREAD loop) wait instead: ioredis queues
 * their commands while disconnected and resends them after the reconnect.
 */
export function createRedis(url: string, role: RedisRole, logger: Logger, options: { blocking?: boolean } = {}): Redis {
  const log = logger.child({ redis: role });
  const settings: RedisOptions = {
    connectionName: `softphone:${role}`,
    retryStrategy: (attempt) => Math.min(100 * attempt, REDIS_RECONNECT_MAX_MS),
    // BullMQ requires null on its blocking connections; elsewhere a command fails after one retry round.
    maxRetriesPerRequest: options.blocking ? null : 1,
    enableOfflineQueue: options.blocking === true,
    // A command caught in a connection that died (sent, never answered) fails instead of hanging its caller.
    ...(options.blocking ? {} : { commandTimeout: REDIS_COMMAND_TIMEOUT_MS }),
    lazyConnect: false,
  };
  const redis = new Redis(url, settings);
  let lastLogged = 0;
  let down = false;
  redis.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_EVERY_MS) return;
    lastLogged = now;
    log.warn({ event: 'redis-error', err: error.message }, 'redis connection error (reconnecting)');
  });
  redis.on('close', () => {
    if (!down) log.warn({ event: 'redis-down' }, 'redis connection lost');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({ event: 'redis-up' }, 'redis connection back');
    down = false;
  });
  return redis;
}

/** Resolves once the connection is ready (or rejects after `timeoutMs`): start-up waits for Redis like it waits for the database. */
export function redisReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', ready);
      reject(new Error(`redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const ready = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', ready);
  });
}

/** Closes a connection without waiting for a Redis that may be down. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect();
  } catch {
    redis.disconnect();
  }
}
