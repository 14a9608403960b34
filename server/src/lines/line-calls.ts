import type { CallHooks } from '../calls/call-hooks';
import type { CallContext } from '../calls/call-context';
import type { LiveCall } from '../calls/live-call';
import type { LineRepo } from './line-repo';
import type { QueueService } from './queue-service';
import type { WrapUps } from './wrap-ups';

export const WRAP_UP_TIMER = 'wrap-up';

export interface LineCallDeps {
  ctx: CallContext;
  lines: LineRepo;
  wrapUps: WrapUps;
  queue: QueueService;
  agentChanged(userId: string): void;
}

/**
 * What happens around line calls outside the queue: the wrap-up after a line call ends (server timer,
 * docs/lines.md), and a new dispatch whenever an agent may have become free (a call ended, a device connected,
 * a wrap-up ended).
 */
export class LineCalls {
  constructor(private readonly deps: LineCallDeps) {
    deps.ctx.timers.handle(WRAP_UP_TIMER, (id) => this.wrapUpTimeUp(id));
  }

  hooks(): CallHooks {
    return {
      onCallEnded: (call) => void this.callEnded(call).catch((error: unknown) => this.deps.ctx.logger.warn({ event: 'line-call-end-failed', callId: call.callId, err: error }, 'line call end handling failed')),
      onDeviceConnected: (userId) => {
        this.deps.agentChanged(userId);
        void this.deps.queue.agentMayBeFree(userId);
      },
    };
  }

  private async callEnded(call: Readonly<LiveCall>): Promise<void> {
    const row = await this.deps.lines.lineOfCall(call.callId);
    if (row?.lineId && row.calleeId === call.callee.userId) {
      const line = await this.deps.lines.find(row.lineId);
      if (line) {
        const until = await this.deps.wrapUps.start(call.callId, call.callee.userId, line.lineId, line.wrapUp.mode, line.wrapUp.timeMs, this.deps.ctx.clock.now());
        if (until) await this.deps.ctx.timers.schedule(WRAP_UP_TIMER, `${call.callee.userId}/${call.callId}`, Date.parse(until));
      }
    }
    // Only a member of an open line has an agent status to push or a line to dispatch: one read decides it for
    // both (most calls are between users who are no agents).
    for (const userId of [call.caller.userId, call.callee.userId]) {
      if ((await this.deps.lines.linesOf(userId)).length === 0) continue;
      this.deps.agentChanged(userId);
      await this.deps.queue.agentMayBeFree(userId);
    }
  }

  /** Done or the timer: the agent is routable again. */
  async wrapUpEnded(agentId: string, callId: string): Promise<void> {
    this.deps.ctx.timers.cancel(WRAP_UP_TIMER, `${agentId}/${callId}`);
    this.deps.agentChanged(agentId);
    await this.deps.queue.agentMayBeFree(agentId);
  }

  private async wrapUpTimeUp(timerId: string): Promise<void> {
    const [agentId = '', callId = ''] = timerId.split('/');
    if (await this.deps.wrapUps.done(agentId, callId, {}, 'timer')) {
      this.deps.ctx.logger.info({ event: 'wrap-up-timer', agentId, callId }, 'wrap-up time is up: the agent is available again');
    }
    await this.wrapUpEnded(agentId, callId);
  }

  /** Start-up: the timers of running wrap-ups come back (past ones fire at once). */
  async restore(): Promise<void> {
    for (const wrap of await this.deps.wrapUps.runningTimeBoxed()) await this.deps.ctx.timers.schedule(WRAP_UP_TIMER, `${wrap.agentId}/${wrap.callId}`, Date.parse(wrap.until));
  }
}
