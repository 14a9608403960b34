import type { LineView } from '../../../shared/protocol';
import type { Db } from '../db/schema';
import type { AgentStatusReader } from './agent-status';
import type { LineRepo, StoredLine } from './line-repo';

function wallParts(timeZone: string, instant: Date): Record<string, number> {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(instant);
  return Object.fromEntries(parts.filter((part) => part.type !== 'literal').map((part) => [part.type, Number(part.value)]));
}

/** How far the wall clock of `timeZone` is ahead of UTC at `instant` (ms). */
function offsetMs(timeZone: string, instant: Date): number {
  const p = wallParts(timeZone, instant);
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the day `YYYY-MM-DD` starts in `timeZone`. */
export function startOfDate(timeZone: string, day: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  const first = midnightUtc - offsetMs(timeZone, new Date(midnightUtc));
  return new Date(midnightUtc - offsetMs(timeZone, new Date(first)));
}

/** The instant today started in `timeZone` (the line's "today" for its figures). */
export function startOfDayIn(timeZone: string, now: Date): Date {
  const p = wallParts(timeZone, now);
  const day = `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  return startOfDate(timeZone, day);
}

/** Builds a line's supervisor snapshot from storage (every node builds the same one: snapshots are idempotent). */
export class LineViews {
  constructor(
    private readonly db: Db,
    private readonly lines: LineRepo,
    private readonly agents: AgentStatusReader,
  ) {}

  async build(line: StoredLine, now = new Date()): Promise<LineView> {
    const open = await this.db
      .selectFrom('queue_entries as e')
      .innerJoin('users as u', 'u.id', 'e.caller_id')
      .select(['e.id', 'e.enqueued_at', 'e.state', 'u.id as userId', 'u.username', 'u.display_name'])
      .where('e.line_id', '=', line.lineId)
      .where('e.state', 'in', ['waiting', 'offered'])
      .orderBy('e.priority', 'desc')
      .orderBy('e.enqueued_at')
      .orderBy('e.id')
      .limit(200)
      .execute();
    const members = await this.lines.members(line.lineId);
    const agents = (await this.agents.viewsOf(members.map((member) => member.userId))).map((view) => ({ user: view.user, state: view.state, reason: view.reason, since: view.since }));
    const dayStart = startOfDayIn(line.timeZone, now).toISOString();
    const today = await this.db
      .selectFrom('queue_entries as e')
      .leftJoin('calls as c', 'c.id', 'e.id')
      .select(['e.state', 'c.talk_ms', 'c.ended_at'])
      .where('e.line_id', '=', line.lineId)
      .where('e.enqueued_at', '>=', dayStart)
      .where('e.state', 'in', ['connected', 'abandoned', 'timed-out'])
      .execute();
    const handled = today.filter((row) => row.state === 'connected');
    const abandoned = today.filter((row) => row.state === 'abandoned').length;
    const timedOut = today.filter((row) => row.state === 'timed-out').length;
    const talks = handled.filter((row) => row.ended_at !== null && row.talk_ms !== null).map((row) => Number(row.talk_ms));
    const total = handled.length + abandoned + timedOut;
    return {
      line: { lineId: line.lineId, name: line.name, displayName: line.displayName },
      waiting: open.length,
      longestWaitSince: open.reduce<string | null>((oldest, row) => (oldest === null || row.enqueued_at < oldest ? row.enqueued_at : oldest), null),
      entries: open.map((row) => ({
        callId: row.id,
        caller: { userId: row.userId, username: row.username, displayName: row.display_name },
        since: row.enqueued_at,
        state: row.state === 'offered' ? 'offered' : 'waiting',
      })),
      agents,
      today: {
        handled: handled.length,
        abandoned,
        timedOut,
        averageHandleMs: talks.length > 0 ? Math.round(talks.reduce((a, b) => a + b, 0) / talks.length) : null,
        abandonRate: total > 0 ? abandoned / total : null,
      },
      at: now.toISOString(),
    };
  }
}
