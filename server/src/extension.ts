import type { RequestHandler, Router } from 'express';
import type { CallHooks } from './calls/call-hooks';
import type { Config } from './config';
import type { Db } from './db/schema';
import type { UsersRepo } from './db/users-repo';
import type { Logger } from './logger';
import type { DurableTimers } from './timers/durable-timers';

/** What a feature module (e.g. issue 6's VoIP push) gets from the service. */
export interface ExtensionContext {
  config: Config;
  db: Db;
  users: UsersRepo;
  logger: Logger;
  /** Bearer-token middleware; authedUserId(req) from http/require-auth then gives the user. */
  auth: RequestHandler;
  /** True when the device has a live socket right now. */
  isDeviceOnline(userId: string, deviceId: string): boolean;
  /** The service's durable timers (in process on single, BullMQ on cluster): a module registers its own kinds. */
  timers: DurableTimers;
  /**
   * False when other nodes share the calls (DATABASE_URL: Postgres, with or without REDIS_URL): a call may be
   * answered or ended on a node that did not place it. The profile decides it (cluster/profile.ts).
   */
  soleWriter: boolean;
  /** True while the call rings (shared calls: as stored, so a call answered or ended on another node is not ringing). */
  isCallRinging(callId: string): Promise<boolean>;
}

/**
 * A feature plugged into the service without touching call routing: its own tables (a step in
 * db/migrations.ts SCHEMA_STEPS), its own HTTP routes under /api, and call hooks (see calls/call-hooks.ts).
 */
export interface ServerExtension {
  name: string;
  /** Mounted under /api (routes decide their own auth with ctx.auth). */
  router?: Router;
  hooks?: CallHooks;
  close?(): void | Promise<void>;
}

export type ExtensionFactory = (ctx: ExtensionContext) => ServerExtension;
