import type { Clock, TimerHandle } from '../calls/call-context';
import type { Logger } from '../logger';
import { TIMER_RETRIES, timerKey, timerRetryDelay, type DurableTimers, type TimerHandler } from './durable-timers';

/**
 * The single profile's timers: one clock timer per (kind, id) in this process (they end with the process; on
 * start the open calls re-arm theirs from the database). A handler that throws runs again as a BullMQ job would
 * (TIMER_RETRIES).
 * Runs on the service's Clock, so tests with a fake clock drive them.
 */
export class InProcessTimers implements DurableTimers {
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly pending = new Map<string, TimerHandle>();
  /** The run of each timer whose handler is running: a retry is armed only for a run not replaced or cancelled meanwhile. */
  private readonly running = new Map<string, object>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  handle(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  schedule(kind: string, id: string, dueAt: number): Promise<void> {
    this.arm(kind, id, dueAt, Math.max(0, dueAt - this.clock.now()), 1);
    return Promise.resolve();
  }

  cancel(kind: string, id: string): void {
    this.clearPending(timerKey(kind, id));
  }

  /** Timers of this process that are armed (for tests and diagnostics). */
  get size(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending.forEach((handle) => this.clock.clearTimer(handle));
    this.pending.clear();
  }

  private clearPending(key: string): void {
    this.running.delete(key);
    const handle = this.pending.get(key);
    if (handle === undefined) return;
    this.clock.clearTimer(handle);
    this.pending.delete(key);
  }

  /** Run `run` of timer (kind, id) in `delayMs`; a retry is replaced or cancelled like the timer itself. */
  private arm(kind: string, id: string, dueAt: number, delayMs: number, run: number): void {
    if (this.closed) return;
    const key = timerKey(kind, id);
    this.clearPending(key);
    const handle = this.clock.setTimer(() => {
      this.pending.delete(key);
      const thisRun = {};
      this.running.set(key, thisRun);
      void this.fire(kind, id, dueAt, run).finally(() => {
        if (this.running.get(key) === thisRun) this.running.delete(key);
      });
    }, delayMs);
    this.pending.set(key, handle);
  }

  private async fire(kind: string, id: string, dueAt: number, run: number): Promise<void> {
    const handler = this.handlers.get(kind);
    if (!handler) {
      this.logger.error({ event: 'timer-without-handler', kind, id }, 'a timer fired with no handler for its kind');
      return;
    }
    const key = timerKey(kind, id);
    const thisRun = this.running.get(key);
    try {
      await handler(id, dueAt);
    } catch (error) {
      this.logger.error({ event: 'timer-failed', kind, id, attempt: run, err: error }, 'a timer failed');
      // Retried as a BullMQ job is, unless the timer was armed again or cancelled meanwhile.
      if (run < TIMER_RETRIES.attempts && this.running.get(key) === thisRun) this.arm(kind, id, dueAt, timerRetryDelay(run), run + 1);
    }
  }
}
