import type { QueueStatus } from '../../../shared/protocol';
import { staffs } from '../../../shared/lines/agent-state';
import { waitEstimate } from '../../../shared/lines/wait-estimate';
import type { CallContext } from '../calls/call-context';
import type { AgentStatusReader } from './agent-status';
import type { LineRepo, StoredLine } from './line-repo';
import type { QueueEntry, QueueRepo } from './queue-repo';

/** A line's periodic re-push of its waiting callers' positions and estimates (durable, one per line and slot). */
export const LINE_QUEUE_REFRESH_TIMER = 'line-queue-refresh';

const iso = (ms: number) => new Date(ms).toISOString();
const WEEK_MS = 7 * 86_400_000;

export interface QueuePositionDeps {
  ctx: CallContext;
  repo: QueueRepo;
  lines: LineRepo;
  agents: AgentStatusReader;
  /** While callers wait, their position and estimate are pushed again at least this often (LINE_QUEUE_REFRESH_MS). */
  refreshMs: number;
}

/** What a waiting caller is told (docs/lines.md "Position and wait estimate"): its place, the estimate, pushed and refreshed. */
export class QueuePositions {
  constructor(private readonly deps: QueuePositionDeps) {
    deps.ctx.timers.handle(LINE_QUEUE_REFRESH_TIMER, (id, dueAt) => this.refresh(id.split('/')[0] ?? '', dueAt));
  }

  /** Members that staff the line now (available, busy or in wrap-up). */
  async servingAgents(lineId: string): Promise<number> {
    return (await this.deps.agents.statesOfMembers(lineId)).filter(staffs).length;
  }

  /**
   * Every open entry's position and estimate, in service order. An entry moved up last when the latest caller that
   * had joined before it left the queue (or it joined then): its estimate counts down from there (shared/lines/wait-estimate.ts).
   */
  async statuses(line: StoredLine): Promise<Array<{ entry: QueueEntry; queue: QueueStatus }>> {
    const entries = await this.deps.repo.open(line.lineId);
    if (entries.length === 0) return [];
    const serving = await this.servingAgents(line.lineId);
    const now = this.deps.ctx.clock.now();
    const handle = (await this.deps.repo.recentHandleMs(line.lineId, iso(now - WEEK_MS))) ?? line.expectedHandleMs;
    const oldest = entries.reduce((min, entry) => (entry.enqueuedAt < min ? entry.enqueuedAt : min), iso(now));
    const left = await this.deps.repo.leftSince(line.lineId, oldest);
    const movedAt = (entry: QueueEntry) => left.reduce((latest, gone) => (gone.enqueuedAt < entry.enqueuedAt && gone.leftAt > latest ? gone.leftAt : latest), entry.enqueuedAt);
    return entries.map((entry, index) => {
      const estimate = waitEstimate({ position: index + 1, servingAgents: serving, averageHandleMs: handle, sinceMovedMs: now - Date.parse(movedAt(entry)) });
      return { entry, queue: { position: index + 1, waiting: entries.length, estimate, at: iso(now) } };
    });
  }

  /**
   * Pushes every waiting caller its position and estimate, and arms the line's next refresh: while callers wait, they
   * hear again on every multiple of `refreshMs` even when nothing changes (the estimate counts down). The refresh
   * timer is durable and named by the line and its due time, so however many nodes arm it for one slot (the cluster
   * profile), it is one timer and one node runs it; that run arms the next slot under a new name (`after` its own
   * due time, so a timer that fires a little early on a node whose clock is behind still moves on to the next slot).
   */
  async push(line: StoredLine, after = 0): Promise<void> {
    const statuses = await this.statuses(line);
    for (const { entry, queue } of statuses) this.deps.ctx.delivery.toDevice(entry.callerId, entry.callerDeviceId, 'line:queue-status', { callId: entry.id, queue });
    if (statuses.length === 0) return;
    const every = this.deps.refreshMs;
    const dueAt = (Math.floor(Math.max(this.deps.ctx.clock.now(), after) / every) + 1) * every;
    await this.deps.ctx.timers.schedule(LINE_QUEUE_REFRESH_TIMER, `${line.lineId}/${dueAt}`, dueAt);
  }

  private async refresh(lineId: string, dueAt: number): Promise<void> {
    const line = await this.deps.lines.find(lineId);
    if (line) await this.push(line, dueAt);
  }
}
