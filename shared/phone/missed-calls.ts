import type { MissedCall } from '../protocol';
import type { PhoneEvents } from './api';
import type { Emitter } from './emitter';
import type { Notifier } from './ports';

/**
 * The unacknowledged missed calls. The server sends them all after every session:ready and new ones
 * live; 'missed' is emitted only for ones this PhoneCore has not reported before.
 */
export class MissedCalls {
  private calls = new Map<string, MissedCall>();
  private readonly reported = new Set<string>();
  /** The sorted list, kept until the calls change (every snapshot reads it). */
  private sorted: MissedCall[] | null = null;

  constructor(
    private readonly notifier: Notifier,
    private readonly events: Emitter<PhoneEvents>,
    private readonly onChange: () => void,
  ) {}

  list(): MissedCall[] {
    this.sorted ??= [...this.calls.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    return [...this.sorted];
  }

  /** A new session: the server's next missed:calls is the full list (none arrives when it is empty). */
  sessionStarted(): void {
    if (this.calls.size === 0) return;
    this.calls = new Map();
    this.changed();
  }

  received(calls: MissedCall[]): void {
    const fresh = calls.filter((c) => !this.reported.has(c.id));
    for (const call of calls) {
      this.calls.set(call.id, call);
      this.reported.add(call.id);
    }
    if (fresh.length > 0) this.events.emit('missed', fresh);
    this.changed();
  }

  remove(ids: string[]): void {
    for (const id of ids) this.calls.delete(id);
    this.changed();
  }

  private changed(): void {
    this.sorted = null;
    this.notifier.missedCalls(this.list());
    this.onChange();
  }
}
