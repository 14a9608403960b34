import type { Clock, TimerHandle } from '../calls/call-context';
import type { Logger } from '../logger';
import { timerKey, type DurableTimers, type TimerHandler } from './durable-timers';

/**
 * The single profile's timers: one clock timer per (kind, id) in this process, exactly today's
 * behaviour (they end with the process; on start the open calls re-arm theirs from the database).
 * Runs on the service's Clock, so tests with a fake clock drive them.
 */
export class InProcessTimers implements DurableTimers {
  private readonly handlers = new Map<string, TimerHandler>();
  private readonly pending = new Map<string, TimerHandle>();
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  handle(kind: string, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  schedule(kind: string, id: string, dueAt: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    const key = timerKey(kind, id);
    this.clearPending(key);
    const handle = this.clock.setTimer(() => {
      this.pending.delete(key);
      this.fire(kind, id, dueAt);
    }, Math.max(0, dueAt - this.clock.now()));
    this.pending.set(key, handle);
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
    const handle = this.pending.get(key);
    if (handle === undefined) return;
    this.clock.clearTimer(handle);
    this.pending.delete(key);
  }

  private fire(kind: string, id: string, dueAt: number): void {
    const handler = this.handlers.get(kind);
    if (!handler) {
      this.logger.error({ event: 'timer-without-handler', kind, id }, 'a timer fired with no handler for its kind');
      return;
    }
    try {
      const result = handler(id, dueAt);
      if (result instanceof Promise) result.catch((error: unknown) => this.failed(kind, id, error));
    } catch (error) {
      this.failed(kind, id, error);
    }
  }

  private failed(kind: string, id: string, error: unknown): void {
    this.logger.error({ event: 'timer-failed', kind, id, err: error }, 'a timer failed');
  }
}
