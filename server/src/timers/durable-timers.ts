/**
 * Timers that outlive the process that armed them (cluster profile) or live in it (single profile),
 * behind one small interface. A timer is named by its kind and an id (one per call and kind, e.g.
 * `ring` + callId); scheduling the same (kind, id) again replaces the pending one. Each kind has ONE
 * handler, registered at start-up on every node, so whichever node is alive when the timer is due
 * runs it.
 *
 * A handler must re-check the state it acts on (one compare-and-set): a timer may fire late, twice
 * (two nodes armed it; a cancel raced with the firing) or after the thing it was for has ended, and
 * each of those must be harmless. A handler that throws is retried (TIMER_RETRIES) in both profiles, and
 * logged: a handler that finds the state it waits for not there yet (a commit still in flight on another
 * node, storage down) throws to be run again later, and returns only once the state says the timer is done
 * or moot.
 */
export interface DurableTimers {
  /** Registers the one handler of `kind`. Must be called before the first timer of that kind is due. */
  handle(kind: string, handler: TimerHandler): void;
  /**
   * Arms (or re-arms) timer (kind, id) to fire at `dueAt` (epoch ms; in the past: at once). Resolves once the
   * timer is where it will run (in Redis, or held in process while Redis cannot take it); never rejects.
   */
  schedule(kind: string, id: string, dueAt: number): Promise<void>;
  /** Disarms timer (kind, id) if pending. Best effort: the handler's re-check covers a cancel that loses a race. */
  cancel(kind: string, id: string): void;
  /** Stops firing timers on this node (graceful shutdown). Cluster timers stay armed for the other nodes. */
  close(): Promise<void>;
}

/** Runs when timer (kind, id) is due; `dueAt` is when it was scheduled for. */
export type TimerHandler = (id: string, dueAt: number) => void | Promise<void>;

export const timerKey = (kind: string, id: string) => `${kind}:${id}`;

/** A handler that throws runs again: up to `attempts` runs in all, the first retry after `firstDelayMs`, doubling. */
export const TIMER_RETRIES = { attempts: 5, firstDelayMs: 500 } as const;

/** How long after its failed run `run` (1-based) a throwing handler runs again (BullMQ's exponential backoff). */
export const timerRetryDelay = (run: number) => TIMER_RETRIES.firstDelayMs * 2 ** (run - 1);
