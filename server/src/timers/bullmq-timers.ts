import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { systemClock } from '../calls/call-context';
import type { Logger } from '../logger';
import { TIMER_RETRIES, timerKey, type DurableTimers, type TimerHandler } from './durable-timers';
import { InProcessTimers } from './in-process-timers';

/** The queue every node's timers go through: one job per armed timer, one worker per node. */
export const TIMER_QUEUE = 'softphone-timers';
/** `timers:armed:<kind>:<id>` holds the job id of timer (kind, id), so any node can replace or cancel it. */
const ARMED_PREFIX = 'timers:armed:';
/** An armed-index entry outlives its timer by this much, then Redis drops it by itself. */
const ARMED_INDEX_SLACK_MS = 3_600_000;
/** How long close() lets BullMQ's connections finish starting before it closes them anyway (Redis down). */
const CLOSE_READY_WAIT_MS = 2_000;

export interface BullTimersOptions {
  /** For queue commands and the armed index: fails fast while Redis is down. */
  commands: Redis;
  /** For the worker's blocking reads (maxRetriesPerRequest: null, offline queue on). */
  blocking: Redis;
  logger: Logger;
  /** Handlers running at once on this node. */
  concurrency?: number;
}

interface TimerJob {
  id: string;
  dueAt: number;
}

/**
 * The cluster profile's timers: BullMQ delayed jobs in Redis, run by whichever node's worker takes
 * them when due, so a timer survives the node that armed it (kill -9 included). One job id per
 * (kind, id, dueAt): two nodes arming the same deadline add one job. A handler that throws is
 * retried (TIMER_RETRIES); one whose node dies mid-run is taken over as a stalled job.
 *
 * While Redis cannot take a timer, the node keeps it in process as a backstop and stores it in Redis
 * once Redis is back; if the node also dies meanwhile, only the database sweep of due deadlines
 * (docs/deploy.md, failure table) still ends the call.
 */
export class BullTimers implements DurableTimers {
  private readonly queue: Queue;
  private readonly worker: Worker;
  private readonly handlers = new Map<string, TimerHandler>();
  /** Per (kind, id): the schedule/cancel operations in order, so a cancel never overtakes its schedule. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly backstop: InProcessTimers;
  /** Timers Redis refused; stored there when the connection is ready again. */
  private readonly unstored = new Map<string, { kind: string; id: string; dueAt: number }>();
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: BullTimersOptions) {
    this.logger = options.logger.child({ component: 'timers' });
    this.backstop = new InProcessTimers(systemClock, this.logger);
    this.queue = new Queue(TIMER_QUEUE, { connection: options.commands });
    this.queue.on('error', (error) => this.logger.warn({ event: 'timer-queue-error', err: error.message }, 'timer queue error'));
    this.worker = new Worker(TIMER_QUEUE, (job: Job<TimerJob>) => this.run(job), {
      connection: options.blocking,
      concurrency: options.concurrency ?? 16,
    });
    this.worker.on('error', (error) => this.logger.warn({ event: 'timer-worker-error', err: error.message }, 'timer worker error'));
    this.worker.on('failed', (job, error) =>
      this.logger.error({ event: 'timer-failed', kind: job?.name, id: job?.data.id, attempt: job?.attemptsMade, err: error.message }, 'a timer failed'),
    );
    options.commands.on('ready', () => this.storeUnstored());
  }

  handle(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
    this.backstop.handle(kind, handler);
  }

  schedule(kind: string, id: string, dueAtMs: number): Promise<void> {
    // Whole milliseconds: Redis takes no fraction in a TTL or a job's delay (a jittered backoff has one), and a timer
    // it refused would only be kept in this process, so not outlive it.
    const dueAt = Math.ceil(dueAtMs);
    return this.inOrder(kind, id, async () => {
      try {
        await this.store(kind, id, dueAt);
        this.unstored.delete(timerKey(kind, id));
        this.backstop.cancel(kind, id);
      } catch (error) {
        this.logger.warn({ event: 'timer-kept-in-process', kind, id, err: (error as Error).message }, 'redis cannot take the timer now; kept in this process until it can');
        this.unstored.set(timerKey(kind, id), { kind, id, dueAt });
        await this.backstop.schedule(kind, id, dueAt);
      }
    });
  }

  cancel(kind: string, id: string): void {
    this.unstored.delete(timerKey(kind, id));
    this.backstop.cancel(kind, id);
    void this.inOrder(kind, id, async () => {
      const jobId = await this.options.commands.getdel(ARMED_PREFIX + timerKey(kind, id));
      if (jobId) await this.queue.remove(jobId);
    });
  }

  /** Timers this node holds in process because Redis refused them (for tests and diagnostics). */
  get unstoredCount(): number {
    return this.unstored.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.chains.values()]);
    await this.backstop.close();
    await this.startedOrGaveUp();
    await this.worker.close();
    await this.queue.close();
  }

  /**
   * BullMQ (5.81) drops a connection's 'error' listeners when it is closed, and a connection closed while it still
   * starts (its INFO in flight) then rejects into no listener: an unhandled rejection, which ends a process. A node
   * closed right after it started met this; so close waits for the start, bounded, as Redis may be down.
   */
  private async startedOrGaveUp(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_READY_WAIT_MS)));
    const started = Promise.all([this.worker.waitUntilReady(), this.queue.waitUntilReady()]).then(
      () => undefined,
      () => undefined,
    );
    await Promise.race([started, gaveUp]);
    clearTimeout(timer);
  }

  private async store(kind: string, id: string, dueAt: number): Promise<void> {
    const jobId = encodeURIComponent(`${timerKey(kind, id)}@${dueAt}`); // BullMQ ids may not contain ':'
    const data: TimerJob = { id, dueAt };
    // The job first: a node that dies after it leaves a timer that fires (without its index entry it cannot be
    // replaced or cancelled by id, and its handler's re-check makes it harmless). The index first would leave, on
    // a death between the two writes, an entry naming a job Redis never got: a timer lost.
    await this.queue.add(kind, data, {
      jobId,
      delay: Math.max(0, dueAt - Date.now()),
      attempts: TIMER_RETRIES.attempts,
      backoff: { type: 'exponential', delay: TIMER_RETRIES.firstDelayMs },
      removeOnComplete: true,
      removeOnFail: 1_000,
    });
    // Then the index, then the job it replaces: until that removal both are armed, and either may fire (re-checked).
    const ttl = Math.max(0, dueAt - Date.now()) + ARMED_INDEX_SLACK_MS;
    const previous = await this.options.commands.set(ARMED_PREFIX + timerKey(kind, id), jobId, 'PX', ttl, 'GET');
    if (previous && previous !== jobId) await this.queue.remove(previous);
  }

  private async run(job: Job<TimerJob>): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new Error(`no handler for timers of kind ${job.name}`);
    await handler(job.data.id, job.data.dueAt);
  }

  private storeUnstored(): void {
    for (const { kind, id, dueAt } of [...this.unstored.values()]) void this.schedule(kind, id, dueAt);
  }

  private inOrder(kind: string, id: string, work: () => Promise<void>): Promise<void> {
    const key = timerKey(kind, id);
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.logger.warn({ event: 'timer-op-failed', kind, id, err: (error as Error).message }, 'timer operation failed'))
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
    return next;
  }
}
