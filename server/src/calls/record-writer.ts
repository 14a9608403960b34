import { isStorageFailure, storageUnavailable } from '../db/storage-failure';
import type { Logger } from '../logger';
import type { Clock } from './call-context';
import type { TimerHandle } from './call-context';

interface PendingWrite {
  label: string;
  write: () => void;
  onWritten: () => void;
}

export const RETRY_FIRST_MS = 500;
export const RETRY_MAX_MS = 10_000;

/**
 * Writes call records in order, and keeps them when storage fails (disk full, I/O error) instead of
 * failing the call: a change to a live call (answer, end) is applied in memory and told to the
 * devices at once; its write waits in this queue, in order, and is retried with backoff until storage
 * takes it. Each write is one transaction, so nothing is ever half-written. What depends on the record
 * being on disk (the missed call a callee is told about) runs after the write (`onWritten`).
 * New calls need storage now: `requireWritable()` refuses them with STORAGE_UNAVAILABLE while a write waits.
 * A write that fails for any other reason is a bug: it is logged and dropped (the row stays open and
 * the next start recovers it).
 */
export class RecordWriter {
  private readonly queue: PendingWrite[] = [];
  private timer: TimerHandle | null = null;
  private delayMs = RETRY_FIRST_MS;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Writes now when nothing waits and storage takes it: true, and the caller goes on (`onWritten` is not
   * called). Otherwise the write is queued (false) and `onWritten` runs once it is written.
   */
  write(label: string, write: () => void, onWritten: () => void = () => undefined): boolean {
    if (this.queue.length === 0 && this.attempt({ label, write, onWritten }, false)) return true;
    this.queue.push({ label, write, onWritten });
    this.schedule();
    return false;
  }

  requireWritable(): void {
    if (this.queue.length > 0) throw storageUnavailable();
  }

  get backlog(): number {
    return this.queue.length;
  }

  /** Shutdown: one last try of everything that waits; returns how many writes are still not done. */
  flush(): number {
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = null;
    this.drain();
    if (this.queue.length > 0) this.logger.error({ event: 'records-unwritten', count: this.queue.length }, 'call records could not be written before shutdown; the next start recovers those calls');
    return this.queue.length;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.drain();
      if (this.queue.length > 0) {
        this.delayMs = Math.min(RETRY_MAX_MS, this.delayMs * 2);
        this.schedule();
      } else this.delayMs = RETRY_FIRST_MS;
    }, this.delayMs);
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (!this.attempt(next, true)) return;
      this.queue.shift();
      this.run(next.onWritten, next.label);
    }
  }

  /** True when the write is done (or dropped as a bug); false when storage refused it. */
  private attempt(pending: PendingWrite, queued: boolean): boolean {
    try {
      pending.write();
      if (queued) this.logger.info({ event: 'record-written-late', what: pending.label }, 'storage is back: record written');
      return true;
    } catch (error) {
      if (isStorageFailure(error)) {
        if (!queued || this.delayMs === RETRY_FIRST_MS) this.logger.warn({ event: 'storage-unavailable', what: pending.label, err: error }, 'storage refused a record: kept and retried');
        return false;
      }
      this.logger.error({ event: 'record-write-failed', what: pending.label, err: error }, 'writing a record failed; dropped');
      return true;
    }
  }

  private run(callback: () => void, label: string): void {
    try {
      callback();
    } catch (error) {
      this.logger.error({ event: 'after-write-failed', what: label, err: error }, 'follow-up of a late record failed');
    }
  }
}
