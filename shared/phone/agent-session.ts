import type { AgentStatus, LineView, Role, ServerPayload, WrapUpDraft, WrapUpTask } from '../protocol';
import type { PhoneEvents } from './api';
import type { Emitter } from './emitter';
import { PhoneError } from './errors';
import type { Logger } from './ports';
import type { Transport } from './transport';
import { request } from './wire';

/**
 * This user's part in support lines (issue 14), as the server says it: roles, the agent state (with
 * its running wrap-up and pending offer), and the supervisor's watched lines. The server holds all of
 * it; this keeps the latest copy for the snapshot and renews the line watch after a reconnect.
 */
export class AgentSession {
  private currentRoles: Role[] = [];
  private currentAgent: AgentStatus | null = null;
  private watched: string[] = [];

  constructor(
    private readonly transport: Transport,
    private readonly ackMs: number,
    private readonly events: Emitter<PhoneEvents>,
    private readonly logger: Logger,
    private readonly onChange: () => void,
  ) {}

  get roles(): Role[] {
    return [...this.currentRoles];
  }

  get agent(): AgentStatus | null {
    return this.currentAgent;
  }

  /** session:ready: the server's roles and agent state replace ours; a watch in force is renewed on this connection. */
  ready(ready: ServerPayload<'session:ready'>): void {
    this.currentRoles = ready.roles;
    this.currentAgent = ready.agent;
    if (this.watched.length > 0) {
      void this.sendWatch(this.watched)
        .then((views) => views.forEach((view) => this.events.emit('line-view', view)))
        .catch((error: unknown) => this.logger.warn('renewing the line watch failed', { error: String(error) }));
    }
  }

  /** agent:status, or the agent in a wrapup:done acknowledgement. */
  status(agent: AgentStatus): void {
    this.currentAgent = agent;
    this.onChange();
  }

  async saveWrapUp(callId: string, draft: WrapUpDraft): Promise<WrapUpTask> {
    const ack = await request(this.transport, 'wrapup:save', { callId, ...draft }, this.ackMs);
    if (!ack.ok) throw PhoneError.from(ack.error);
    const task = ack.value.wrapUp;
    const agent = this.currentAgent;
    if (agent?.wrapUp?.callId === callId) this.status({ ...agent, wrapUp: task });
    return task;
  }

  async finishWrapUp(callId: string, draft: Partial<WrapUpDraft> = {}): Promise<AgentStatus> {
    const ack = await request(this.transport, 'wrapup:done', { callId, ...draft }, this.ackMs);
    if (!ack.ok) throw PhoneError.from(ack.error);
    this.status(ack.value.agent);
    return ack.value.agent;
  }

  /** Replaces the watched lines (`[]` stops); the views come back at once and then as 'line-view' events. */
  async watchLines(lineIds: string[]): Promise<LineView[]> {
    const views = await this.sendWatch(lineIds);
    this.watched = [...lineIds];
    return views;
  }

  view(view: LineView): void {
    if (this.watched.includes(view.line.lineId)) this.events.emit('line-view', view);
  }

  private async sendWatch(lineIds: string[]): Promise<LineView[]> {
    const ack = await request(this.transport, 'line:watch', { lineIds }, this.ackMs);
    if (!ack.ok) throw PhoneError.from(ack.error);
    return ack.value.views;
  }
}
