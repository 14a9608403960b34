import type { Redis } from 'ioredis';
import type { Logger } from '../logger';

/** A node refreshes its heartbeat this often ... */
export const HEARTBEAT_EVERY_MS = 3_000;
/** ... and counts as dead when it has not for this long (a missed beat or two is no death). */
export const HEARTBEAT_TTL_MS = 10_000;
/** Members: every node that has beaten and was not yet swept; score: its last beat (epoch ms). */
export const NODES_KEY = 'cluster:nodes';
const heartbeatKey = (nodeId: string) => `cluster:node:${nodeId}`;
/** Set by the survivor that swept a death once its handlers are done; read (and removed) by that node if it was only paused. */
const sweptKey = (nodeId: string) => `cluster:swept:${nodeId}`;
/** How long a death's mark waits for its node to come back (a node paused longer than this is not told). */
const SWEPT_MARK_TTL_MS = 60 * 60_000;

/** Told the id of a dead node and its last beat; runs on exactly one surviving node per death. */
export type DeadNodeHandler = (nodeId: string, lastBeatAt: number) => Promise<void> | void;

/** Runs on a node that was declared dead while it still ran (paused, starved, cut off from Redis). */
export type DeclaredDeadHandler = () => Promise<void> | void;

/**
 * Which nodes are alive. A node that dies (kill -9, a lost machine) runs no disconnect handlers, so
 * the survivors must notice: each node sets `cluster:node:<id>` with a TTL every HEARTBEAT_EVERY_MS
 * and records its beat in `cluster:nodes`. Every node checks, on the same rhythm, for members whose
 * key has expired; the one whose ZREM succeeds owns that death and runs the handlers (in the
 * gateway: the dead node's devices go offline and their calls' resume grace starts from the last
 * beat). A graceful stop deletes the key at once, so its leftovers are swept within one check.
 *
 * A node can be declared dead and still run: paused (a VM stall, SIGSTOP) or starved past the TTL. The
 * survivors have then removed its devices from the directory while their sockets stay open to it. So the
 * survivor marks each death once it is swept, and a node that finds its own mark at its next beat runs the
 * declared-dead handlers (the gateway drops every socket, so each device connects again and registers).
 * The beat never waits for a sweep: a node busy sweeping another's death must not look dead itself.
 */
export class NodeLiveness {
  private timer: NodeJS.Timeout | null = null;
  private readonly handlers: DeadNodeHandler[] = [];
  private readonly declaredDeadHandlers: DeclaredDeadHandler[] = [];
  private readonly logger: Logger;
  private beating: Promise<void> | null = null;
  private sweeping: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    readonly nodeId: string,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'liveness', nodeId });
  }

  onDeadNode(handler: DeadNodeHandler): void {
    this.handlers.push(handler);
  }

  onDeclaredDead(handler: DeclaredDeadHandler): void {
    this.declaredDeadHandlers.push(handler);
  }

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), HEARTBEAT_EVERY_MS).unref();
  }

  /** Graceful stop: no more beats, and the key goes now (the survivors sweep what this node leaves). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([this.beating, this.sweeping]);
    await this.redis.del(heartbeatKey(this.nodeId)).catch(() => undefined);
  }

  async isAlive(nodeId: string): Promise<boolean> {
    return (await this.redis.exists(heartbeatKey(nodeId))) === 1;
  }

  /** Says this node is alive; runs the declared-dead handlers if a survivor swept it meanwhile. */
  async beat(): Promise<void> {
    const now = Date.now();
    const replies = await this.redis
      .multi()
      .set(heartbeatKey(this.nodeId), String(now), 'PX', HEARTBEAT_TTL_MS)
      .zadd(NODES_KEY, now, this.nodeId)
      .getdel(sweptKey(this.nodeId))
      .exec();
    const [error, mark] = replies?.[2] ?? [null, null];
    if (error) throw error;
    if (mark === null) return;
    this.logger.error({ event: 'declared-dead', lastBeatAt: new Date(Number(mark)).toISOString() }, 'this node was declared dead while it ran: its devices connect again');
    for (const handler of this.declaredDeadHandlers) await handler();
  }

  /** Finds the nodes that stopped beating; the one whose ZREM succeeds owns that death and runs the handlers. */
  async sweep(): Promise<void> {
    const now = Date.now();
    const members = await this.redis.zrange(NODES_KEY, 0, -1, 'WITHSCORES');
    for (let i = 0; i + 1 < members.length; i += 2) {
      const nodeId = members[i]!;
      const lastBeatAt = Number(members[i + 1]);
      // Dead: no heartbeat key, and no sign of life for a whole TTL (a node listed by the directory after Redis lost its data has had no chance to beat yet).
      if (nodeId === this.nodeId || lastBeatAt > now - HEARTBEAT_TTL_MS || (await this.isAlive(nodeId))) continue;
      if ((await this.redis.zrem(NODES_KEY, nodeId)) !== 1) continue; // another node owns this death
      this.logger.warn({ event: 'node-dead', deadNode: nodeId, lastBeatAt: new Date(lastBeatAt).toISOString() }, 'a node stopped beating: its devices go offline');
      try {
        for (const handler of this.handlers) await handler(nodeId, lastBeatAt);
      } catch (error) {
        await this.redis.zadd(NODES_KEY, lastBeatAt, nodeId); // not done: the next check (here or elsewhere) tries again
        throw error;
      }
      await this.redis.set(sweptKey(nodeId), String(lastBeatAt), 'PX', SWEPT_MARK_TTL_MS);
    }
  }

  private tick(): void {
    const failed = (error: unknown) => this.logger.warn({ event: 'liveness-failed', err: (error as Error).message }, 'heartbeat or sweep failed (redis down?)');
    this.beating ??= this.beat().catch(failed).finally(() => (this.beating = null));
    this.sweeping ??= this.sweep().catch(failed).finally(() => (this.sweeping = null));
  }
}
