import type { MissedCall } from './deps';
import { callerLabel, type HostStrings } from './strings';

export interface MissedNotification {
  /** Stable id: the missed call's id, or 'missed-group:<first id>' for a group. */
  id: string;
  title: string;
  body: string;
  /** The missed-call ids this notification stands for. */
  missedIds: string[];
}

/**
 * Counts missed calls not yet seen in the history. Calls are keyed by id, so the same missed
 * call delivered again at a reconnect is neither counted nor notified twice.
 */
export class MissedCallTracker {
  private readonly known = new Set<string>();
  private readonly unseen = new Set<string>();

  /** Adds a batch; returns the calls that are new (to notify). */
  add(calls: MissedCall[]): MissedCall[] {
    const fresh = calls.filter((call) => !this.known.has(call.id));
    for (const call of fresh) {
      this.known.add(call.id);
      this.unseen.add(call.id);
    }
    return fresh;
  }

  get count(): number {
    return this.unseen.size;
  }

  /** The user opened the history: returns the ids that were unseen. */
  reset(): string[] {
    const ids = [...this.unseen];
    this.unseen.clear();
    return ids;
  }
}

/** One notification per missed call; a batch that arrives together (e.g. at reconnect) becomes one group. */
export function missedNotifications(fresh: MissedCall[], strings: HostStrings): MissedNotification[] {
  const first = fresh[0];
  if (!first) return [];
  if (fresh.length === 1) {
    return [{ id: first.id, title: strings.missedOne(first.from), body: mediaLabel(first, strings), missedIds: [first.id] }];
  }
  const perCaller = new Map<string, number>();
  for (const call of fresh) {
    const name = callerLabel(call.from);
    perCaller.set(name, (perCaller.get(name) ?? 0) + 1);
  }
  const body = [...perCaller].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
  return [{ id: `missed-group:${first.id}`, title: strings.missedMany(fresh.length), body, missedIds: fresh.map((call) => call.id) }];
}

function mediaLabel(call: MissedCall, strings: HostStrings): string {
  return call.media === 'video' ? strings.incomingVideo : strings.incomingAudio;
}
