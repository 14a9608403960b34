import {
  ProtocolError,
  type AgentStatus,
  type ChosenAwayReason,
  type ChosenPresence,
  type LineView,
  type ParsedClientPayload,
  type PresenceStatus,
  type QueuedCall,
  type Role,
  type UserIdentity,
  type WrapUpTask,
} from '../../../shared/protocol';
import type { Roles } from '../auth/roles';
import type { Logger } from '../logger';
import type { PresenceService } from '../presence/presence-service';
import { userRoom, type IoServer, type IoSocket } from '../socket/socket-types';
import { emitToRooms, type Broadcast } from '../socket/legacy-payloads';
import type { AgentStatusReader } from './agent-status';
import type { LineRepo } from './line-repo';
import type { LineViews } from './line-view';
import type { WrapUps } from './wrap-ups';

/** What a connecting device learns about lines in session:ready. */
export interface LineSession {
  roles: Role[];
  agent: AgentStatus | null;
  queuedCalls: QueuedCall[];
}

export const NO_LINE_SESSION: LineSession = { roles: [], agent: null, queuedCalls: [] };

const VIEW_EVERY_MS = 500;

export const lineWatchRoom = (lineId: string) => `line-watch:${lineId}`;

/** A socket connected to this node watches the line. */
const watchedOn = (io: IoServer, lineId: string) => (io.of('/').adapter.rooms.get(lineWatchRoom(lineId))?.size ?? 0) > 0;

export interface LineServiceDeps {
  lines: LineRepo;
  roles: Roles;
  wrapUps: WrapUps;
  agents: AgentStatusReader;
  views: LineViews;
  presence: PresenceService;
  logger: Logger;
  /** The socket.io server (set once it exists). */
  io: () => IoServer | undefined;
  /** Cluster profile: a line's watchers may be on other nodes, told of its changes through the adapter. */
  clustered: boolean;
  /** The agent chose a presence (the queue withdraws its offer, or dispatches to it). */
  onChosen?: (userId: string, status: ChosenPresence) => Promise<void>;
  /** The agent ended a wrap-up with Done. */
  onWrapUpEnded?: (userId: string, callId: string) => Promise<void>;
  /** The calls of this device waiting in a line, with their place now. */
  queuedCallsOf: (userId: string, deviceId: string) => Promise<QueuedCall[]>;
}

/** The line events of the socket (agent state, wrap-up, the supervisor's watch) and their pushes. */
export class LineService {
  constructor(private readonly deps: LineServiceDeps) {}

  /** What a connecting device learns about lines: its user's roles and agent state, and its own calls waiting in a line. */
  async session(user: UserIdentity, deviceId: string): Promise<LineSession> {
    return { roles: await this.deps.roles.of(user), agent: await this.deps.agents.statusOf(user.userId, true), queuedCalls: await this.deps.queuedCallsOf(user.userId, deviceId) };
  }

  /** presence:set: the choice (with an away reason) for everyone; members also get agent:status on every device. */
  async setPresence(user: UserIdentity, status: ChosenPresence, reason: ChosenAwayReason | undefined): Promise<PresenceStatus> {
    const presence = await this.deps.presence.choose(user.userId, status, reason ?? null);
    await this.deps.onChosen?.(user.userId, status);
    await this.pushAgentStatus(user.userId);
    return presence;
  }

  async wrapUpSave(user: UserIdentity, input: ParsedClientPayload<'wrapup:save'>): Promise<{ wrapUp: WrapUpTask }> {
    const wrapUp = await this.deps.wrapUps.save(user.userId, input.callId, input);
    await this.pushAgentStatus(user.userId);
    return { wrapUp };
  }

  async wrapUpDone(user: UserIdentity, input: ParsedClientPayload<'wrapup:done'>): Promise<{ agent: AgentStatus }> {
    const { callId, ...draft } = input;
    if (await this.deps.wrapUps.done(user.userId, callId, draft, 'done')) await this.deps.onWrapUpEnded?.(user.userId, callId);
    const agent = await this.pushAgentStatus(user.userId);
    if (!agent) throw new ProtocolError('CALL_NOT_FOUND', 'No wrap-up of yours for this call');
    return { agent };
  }

  /** line:watch: supervisors and admins only; replaces the socket's watched set and answers the snapshots. */
  async watch(socket: IoSocket, lineIds: readonly string[]): Promise<{ views: LineView[] }> {
    await this.deps.roles.require(socket.data.user, 'supervisor');
    const lines = [];
    for (const lineId of new Set(lineIds)) lines.push(await this.deps.lines.require(lineId));
    for (const room of socket.rooms) if (room.startsWith('line-watch:')) void socket.leave(room);
    const views = [];
    for (const line of lines) {
      void socket.join(lineWatchRoom(line.lineId));
      views.push(await this.deps.views.build(line));
    }
    return { views };
  }

  /** Sends the agent's status to every device of the agent; returns it (null: not an agent). */
  async pushAgentStatus(userId: string): Promise<AgentStatus | null> {
    const status = await this.deps.agents.statusOf(userId);
    const io = this.deps.io();
    if (status && io) emitToRooms(io.to(userRoom(userId)) as unknown as Broadcast, 'agent:status', status);
    return status;
  }

  /** When each line's view was last published, and the lines with a trailing publish pending (coalescing). */
  private readonly lastView = new Map<string, number>();
  private readonly pendingView = new Set<string>();

  /**
   * A line changed on this node: every node with a watcher of the line sends its watchers a fresh view. On the cluster
   * profile the other nodes are told through the adapter (`line:changed`, a line id: cheap); a node nobody there
   * watches the line on builds nothing (a line view reads every member's state: 200 agents, 200 rows).
   */
  lineChanged(lineId: string): void {
    if (this.deps.clustered) this.deps.io()?.serverSideEmit('line:changed', lineId);
    void this.publishView(lineId).catch((error: unknown) => this.deps.logger.warn({ err: error, lineId }, 'line view push failed'));
  }

  /**
   * Sends a fresh snapshot of the line to this node's watchers of it, if it has any: at most two per second per line
   * on this node (the last change always goes out).
   */
  async publishView(lineId: string): Promise<void> {
    const io = this.deps.io();
    if (!io || !watchedOn(io, lineId)) return;
    const wait = (this.lastView.get(lineId) ?? 0) + VIEW_EVERY_MS - Date.now();
    if (wait > 0) {
      if (this.pendingView.has(lineId)) return;
      this.pendingView.add(lineId);
      setTimeout(() => {
        this.pendingView.delete(lineId);
        void this.publishView(lineId).catch((error: unknown) => this.deps.logger.warn({ err: error, lineId }, 'line view push failed'));
      }, wait).unref();
      return;
    }
    this.lastView.set(lineId, Date.now());
    const line = await this.deps.lines.find(lineId);
    if (!line) return;
    emitToRooms(io.local.to(lineWatchRoom(lineId)) as unknown as Broadcast, 'line:view', await this.deps.views.build(line));
  }
}
