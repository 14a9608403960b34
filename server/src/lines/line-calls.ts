import type { CallHooks } from '../calls/call-hooks';
import type { CallContext } from '../calls/call-context';
import type { LiveCall } from '../calls/live-call';
import { finishCall } from '../calls/call-ending';
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
 * What happens around line calls outside the queue: the wrap-up timer after a line call ends, or after an outbound
 * direct call of a line member (server timer, docs/lines.md; the wrap-up itself commits with the call's end,
 * wrap-up-on-end.ts), and a new dispatch whenever an agent may have become free (a call ended, a device connected,
 * a wrap-up ended).
 */
export class LineCalls {
  constructor(private readonly deps: LineCallDeps) {
    deps.ctx.timers.handle(WRAP_UP_TIMER, (id) => this.wrapUpTimeUp(id));
  }

  hooks(): CallHooks {
    return {
      onCallEnded: (call, end) => void this.callEnded(call, end.agents).catch((error: unknown) => this.deps.ctx.logger.warn({ event: 'line-call-end-failed', callId: call.callId, err: error }, 'line call end handling failed')),
      onDeviceConnected: (userId) => {
        this.deps.agentChanged(userId);
        void this.deps.queue.agentMayBeFree(userId);
      },
    };
  }

  private async callEnded(call: Readonly<LiveCall>, known: ReadonlySet<string> | undefined): Promise<void> {
    // Only a member of an open line has a wrap-up, an agent status to push or a line to dispatch: one read for both
    // parties decides all three (most calls are between users who are no agents). The end's wrap-up decision read it
    // already, unless the end was recorded otherwise (a transfer's, or late after storage was back).
    const agents = known ?? (await this.deps.lines.agentsAmong(call.caller.userId, call.callee.userId));
    // The wrap-up itself was written with the call's end (wrap-up-on-end.ts, D8); its timer is armed now, after the
    // commit (the handler re-checks; a restart re-arms it from storage).
    if (agents.size > 0) await this.armWrapUpTimers(call.callId);
    // The end of a consult or transfer leg does not free its transferor: the original call is still up, or its
    // own end (with its wrap-up, a failed line transfer's D14 included) comes right after and frees the agent then.
    const transferLeg = call.legKind === 'consult' || call.legKind === 'transfer';
    for (const userId of [call.caller.userId, call.callee.userId]) {
      if (!agents.has(userId)) continue;
      this.deps.agentChanged(userId);
      if (!(transferLeg && userId === call.caller.userId)) await this.deps.queue.agentMayBeFree(userId);
    }
  }

  /**
   * D15: the agent's device of an answered line call stayed away past the resume grace. The call ends for the
   * agent (connection-lost, wrap-up as after any line call) and the customer waits again at the front of the
   * line, told with call:queued (why `agent-lost`) instead of call:ended. False (the default end applies) when it is not such a
   * call, the line is closed, the customer's device is away too, or storage refused the end.
   */
  async agentLost(call: LiveCall, userId: string, deviceId: string, lastSeenAt: number): Promise<boolean> {
    if (call.status !== 'active' || call.callee.userId !== userId || call.answeredDeviceId !== deviceId) return false;
    const line = await this.deps.lines.openLineOfCall(call.callId);
    if (!line) return false;
    if (!(await this.deps.ctx.delivery.isOnline(call.caller.userId, call.callerDeviceId))) return false;
    // As the default end: the call ended when the agent's device was last heard from; nobody is told call:ended.
    const ended = await finishCall(this.deps.ctx, call, { outcome: 'answered', endReason: 'connection-lost', endedBy: null, missed: false, notices: [], endedAt: lastSeenAt }).catch((error: unknown) => {
      this.deps.ctx.logger.warn({ event: 'line-requeue-failed', callId: call.callId, err: error }, 'the lost agent\'s call could not be ended: it ends as any call');
      return null;
    });
    if (ended === null) return false;
    if (ended !== 'lost') await this.deps.queue.requeueFront(line, call, call.callee);
    return true;
  }

  private async armWrapUpTimers(callId: string): Promise<void> {
    for (const wrap of await this.deps.wrapUps.timeBoxedOf(callId)) await this.deps.ctx.timers.schedule(WRAP_UP_TIMER, `${wrap.agentId}/${wrap.callId}`, Date.parse(wrap.until));
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
