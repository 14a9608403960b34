import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { Clock } from '../calls/call-context';
import type { Config } from '../config';
import { memoryLimiters, redisLimiters, type RateLimiterFactory } from '../limits/rate-limiter-factory';
import type { Logger } from '../logger';
import type { IoServer } from '../socket/socket-types';
import { StartupError } from '../startup-error';
import { BullTimers } from '../timers/bullmq-timers';
import type { DurableTimers } from '../timers/durable-timers';
import { InProcessTimers } from '../timers/in-process-timers';
import { NodeLiveness } from './node-liveness';
import { closeRedis, createRedis, redisReady } from './redis';

/** How long a starting node waits for Redis before it gives up (systemd or the orchestrator starts it again). */
const REDIS_STARTUP_WAIT_MS = 15_000;

/**
 * What differs between the two profiles, chosen in one place: where rate-limit counts and timers
 * live, and how socket.io reaches sockets on other nodes. Everything else runs the same code.
 */
export interface Profile {
  name: 'single' | 'cluster';
  /**
   * True when this process is the only writer of the call records (SQLite in DATA_DIR, which it locks): its
   * registry is then the truth, and a transition storage cannot take now is applied and queued. False with
   * DATABASE_URL (Postgres, shared by every node; with or without REDIS_URL): another node may move the same
   * call, so the stored row is the truth and a transition is real only once its compare-and-set committed.
   * The one place this is decided (CallContext settings, the record writer, extensions read it from here).
   */
  soleWriter: boolean;
  /** This process's name in the cluster (liveness, logs). */
  nodeId: string;
  limiters: RateLimiterFactory;
  timers: DurableTimers;
  /** Liveness of the nodes (cluster): this node's heartbeat and the others' (see node-liveness.ts). */
  liveness: NodeLiveness | null;
  /** A general-purpose connection for shared state (registry, resume buffers); null in the single profile. */
  redis: Redis | null;
  /** Makes socket.io rooms span every node (cluster): call before the first connection. */
  attach(io: IoServer): void;
  close(): Promise<void>;
}

export function nodeIdOf(config: Pick<Config, 'NODE_ID' | 'PORT'>): string {
  return config.NODE_ID ?? `${hostname()}-${config.PORT}-${randomBytes(3).toString('hex')}`;
}

export async function openProfile(config: Config, logger: Logger, clock: Clock): Promise<Profile> {
  const nodeId = nodeIdOf(config);
  const soleWriter = config.DATABASE_URL === undefined;
  if (!config.REDIS_URL) {
    return {
      name: 'single',
      soleWriter,
      nodeId,
      limiters: memoryLimiters,
      timers: new InProcessTimers(clock, logger),
      liveness: null,
      redis: null,
      attach: () => undefined,
      close: async () => undefined,
    };
  }
  // Several nodes, each with its own SQLite file, would each hold a different truth of the same calls.
  if (soleWriter) throw new StartupError('REDIS_URL (several nodes) needs DATABASE_URL: the nodes must share one Postgres');
  const url = config.REDIS_URL;
  const commands = createRedis(url, 'registry', logger);
  const limits = createRedis(url, 'limits', logger);
  const timerCommands = createRedis(url, 'timers', logger);
  const adapterClient = createRedis(url, 'adapter', logger, { blocking: true });
  const all = [commands, limits, timerCommands, adapterClient];
  try {
    await Promise.all(all.map((connection) => redisReady(connection, REDIS_STARTUP_WAIT_MS)));
  } catch {
    all.forEach((connection) => connection.disconnect());
    throw new StartupError(`cannot reach Redis at REDIS_URL within ${REDIS_STARTUP_WAIT_MS / 1000} s`);
  }
  const timerWorker = createRedis(url, 'timers', logger, { blocking: true });
  all.push(timerWorker);
  const timers = new BullTimers({ commands: timerCommands, blocking: timerWorker, logger });
  const liveness = new NodeLiveness(commands, nodeId, logger); // started by the service once its handlers are in place
  logger.info({ event: 'profile', profile: 'cluster', nodeId }, 'cluster profile: Redis shared by every node');
  return {
    name: 'cluster',
    soleWriter,
    nodeId,
    limiters: redisLimiters(limits),
    timers,
    liveness,
    redis: commands,
    attach: (io) => {
      // Our own resume (signal outboxes, session:ready) carries calls across reconnects, not socket.io's
      // connection state recovery: with it every direct emit would become a stream entry (scale-out.md §1.4).
      io.adapter(createAdapter(adapterClient, { streamName: 'softphone:io', maxLen: 100_000 }));
    },
    close: async () => {
      await liveness.stop();
      await timers.close();
      await Promise.all(all.map((connection) => closeRedis(connection)));
    },
  };
}
