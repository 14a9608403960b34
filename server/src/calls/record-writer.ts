import { isStorageFailure, storageUnavailable } from '../db/storage-failure';
import type { Logger } from '../logger';
import type { Clock } from './call-context';
import type { TimerHandle } from './call-context';

export const RETRY_FIRST_MS = 500;
export const RETRY_MAX_MS = 10_000;

interface PendingWrite {
  label: string;
  write: () => Promise<void>;
  onWritten: () => void;
  /** Resolves the caller's promise: true once written at the first try, false when it has to wait. */
  tell: (writtenNow: boolean) => void;
  told: boolean;
}

/**
 * Writes call records in order, and keeps them when storage fails (disk full, I/O error, Postgres down)
 * instead of failing the call: a change to a live call (answer, end) is told to the devices at once; its
 * write waits here, in order, and is retried with backoff until storage takes it. Each write is one
 * transaction, so nothing is ever half-written. What depends on the record being stored (the missed call a
 * callee is told about) runs after the write (`onWritten`).
 * New calls need storage now: `requireWritable()` refuses them with STORAGE_UNAVAILABLE while a write waits.
 * A write that fails for any other reason is a bug: it is logged and dropped (the row stays open and the
 * next start recovers it).
 */
export class RecordWriter {
  private tail: Promise<void> = Promise.resolve();
  /** Writes accepted but not yet done (in flight or waiting). */
  private pending = 0;
  private failing = false;
  private sleeping: { timer: TimerHandle; wake: () => void } | null = null;
  private closing = false;

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    /**
     * True when this process is the only writer of the call records (the single profile: SQLite, DATA_DIR
     * locked): its own in-memory state is then authoritative, and a transition storage cannot take now is
     * applied and queued. False in the cluster profile: another node may move the same call, so a
     * transition is only real once its compare-and-set committed, and is refused while storage is down.
     */
    private readonly soleWriter = true,
  ) {}

  /**
   * A call transition's compare-and-set, in order with the queued writes: 'won' or 'lost' when storage
   * answered. When storage cannot answer now (down, or earlier writes still wait): with a sole writer the
   * transition is queued and 'deferred' (`onWritten` runs once it is stored); otherwise STORAGE_UNAVAILABLE
   * is thrown and nothing changed.
   */
  async commit(label: string, cas: () => Promise<boolean>, onWritten: () => void = () => undefined): Promise<'won' | 'lost' | 'deferred'> {
    if (!this.failing && this.pending === 0) {
      try {
        return (await cas()) ? 'won' : 'lost';
      } catch (error) {
        if (!isStorageFailure(error)) throw error;
        this.logger.warn({ event: 'storage-unavailable', what: label, err: error }, 'storage refused a call transition');
        if (this.soleWriter) this.failing = true;
      }
    }
    if (!this.soleWriter) throw storageUnavailable();
    const writtenNow = await this.write(label, async () => void (await cas()), onWritten);
    return writtenNow ? 'won' : 'deferred';
  }

  /**
   * Resolves true when the write is done at its first try (the caller goes on; `onWritten` is not called),
   * false as soon as it has to wait for storage (`onWritten` runs once it is written). Writes run one at a
   * time, in the order of the calls to write().
   */
  write(label: string, write: () => Promise<void>, onWritten: () => void = () => undefined): Promise<boolean> {
    return new Promise((resolve) => {
      const pending: PendingWrite = { label, write, onWritten, told: false, tell: () => undefined };
      pending.tell = (writtenNow) => {
        if (pending.told) return;
        pending.told = true;
        resolve(writtenNow);
      };
      if (this.failing) pending.tell(false);
      this.pending += 1;
      this.tail = this.tail.then(() => this.run(pending));
    });
  }

  requireWritable(): void {
    if (this.failing) throw storageUnavailable();
  }

  /** Writes not yet done. */
  get backlog(): number {
    return this.pending;
  }

  /** Shutdown: every waiting write gets one more immediate try; resolves with how many are still not done. */
  async flush(): Promise<number> {
    this.closing = true;
    this.sleeping?.wake();
    await this.tail;
    return this.unwritten;
  }

  private unwritten = 0;

  private async run(pending: PendingWrite): Promise<void> {
    let delayMs = RETRY_FIRST_MS;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await pending.write();
        if (attempt > 0) this.logger.info({ event: 'record-written-late', what: pending.label }, 'storage is back: record written');
        this.failing = false;
        this.finish(pending, true);
        return;
      } catch (error) {
        if (!isStorageFailure(error)) {
          this.logger.error({ event: 'record-write-failed', what: pending.label, err: error }, 'writing a record failed; dropped');
          this.finish(pending, false);
          return;
        }
        if (attempt === 0) this.logger.warn({ event: 'storage-unavailable', what: pending.label, err: error }, 'storage refused a record: kept and retried');
        this.failing = true;
        pending.tell(false);
        if (this.closing) {
          this.unwritten += 1;
          this.logger.error({ event: 'records-unwritten', what: pending.label }, 'a call record could not be written before shutdown; the next start recovers the call');
          this.finish(pending, false);
          return;
        }
        await this.sleep(delayMs);
        delayMs = Math.min(RETRY_MAX_MS, delayMs * 2);
      }
    }
  }

  private finish(pending: PendingWrite, written: boolean): void {
    this.pending -= 1;
    if (pending.told) {
      if (written) this.runCallback(pending);
    } else pending.tell(true);
  }

  private runCallback(pending: PendingWrite): void {
    try {
      pending.onWritten();
    } catch (error) {
      this.logger.error({ event: 'after-write-failed', what: pending.label, err: error }, 'follow-up of a late record failed');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        if (this.sleeping) this.clock.clearTimer(this.sleeping.timer);
        this.sleeping = null;
        resolve();
      };
      this.sleeping = { timer: this.clock.setTimer(wake, ms), wake };
    });
  }
}
