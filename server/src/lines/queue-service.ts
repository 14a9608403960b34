import { randomUUID } from 'node:crypto';
import { ProtocolError, type ClientAckResult, type IncomingCall, type LineRef, type Media, type QueuedCall, type QueuedWhy, type QueueStatus, type UserIdentity } from '../../../shared/protocol';
import type { Actor } from '../calls/call-actor';
import type { CallContext } from '../calls/call-context';
import { newLiveCall, type LiveCall } from '../calls/live-call';
import type { UsersRepo } from '../db/users-repo';
import type { PresenceFacts } from '../presence/presence-facts';
import { rateLimited } from '../limits/rate-limiter-factory';
import type { AgentStatusReader } from './agent-status';
import type { LineRepo, StoredLine } from './line-repo';
import { CallerGrace } from './queue-caller-grace';
import { QueuePositions } from './queue-positions';
import { movedEntry, type OfferedAgent, type QueueEntry, type QueueRepo } from './queue-repo';

export const LINE_OFFER_TIMER = 'line-offer';
export const LINE_MAX_WAIT_TIMER = 'line-max-wait';

const iso = (ms: number) => new Date(ms).toISOString();

/** How long a caller refused by a full line is asked to wait before trying again (D22). */
const LINE_FULL_RETRY_MS = 30_000;

export interface QueueDeps {
  ctx: CallContext;
  repo: QueueRepo;
  lines: LineRepo;
  users: UsersRepo;
  agents: AgentStatusReader;
  /** Open entries a line holds at most (LINE_MAX_WAITING); a new caller beyond it is refused RATE_LIMITED. */
  maxWaiting: number;
  /** Who is in a call (on any node: an agent talking on another node is not offered a line call). */
  facts: PresenceFacts;
  /** False for a device whose app is too old for line calls (protocol < 1.3): it is never offered one. */
  lineCapableDevice(userId: string, deviceId: string): boolean;
  /** An agent's state may have changed: push agent:status to its devices. */
  agentChanged(userId: string): void;
  /** The line's waiting callers or agents changed: push a line:view to its watchers. */
  lineChanged(lineId: string): void;
  /** While callers wait, their position and estimate are pushed again at least this often (LINE_QUEUE_REFRESH_MS). */
  queueRefreshMs: number;
  /**
   * An agent answered while the caller's device was away (within its grace, last heard from at `lastSeenAt`): the
   * answered call carries that away on, with the call's own resume grace (DeviceSessions), as for a direct call.
   */
  callerAwayInCall(call: LiveCall, lastSeenAt: number): void;
}

/**
 * The queue of every line (docs/lines.md): callers wait in FIFO order; the dispatcher offers the head to every
 * available agent (ring-all) or to the longest-idle one (longest-idle); an answer turns the entry into an ordinary
 * answered call. Stored state decides every race (queue-repo.ts); this class tells the devices and arms timers.
 */
export class QueueService {
  /** Lines whose dispatch runs on this node now, and those asked to run again once it finishes. */
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private readonly positions: QueuePositions;
  private readonly grace: CallerGrace;

  constructor(private readonly deps: QueueDeps) {
    this.positions = new QueuePositions({ ctx: deps.ctx, repo: deps.repo, lines: deps.lines, agents: deps.agents, refreshMs: deps.queueRefreshMs });
    this.grace = new CallerGrace({ ctx: deps.ctx, repo: deps.repo, lost: (entry, since) => this.abandon(entry, since) });
    deps.ctx.timers.handle(LINE_OFFER_TIMER, (id) => this.offerTimedOut(id));
    deps.ctx.timers.handle(LINE_MAX_WAIT_TIMER, (id) => this.maxWait(id));
  }

  private get ctx(): CallContext {
    return this.deps.ctx;
  }

  private ref(line: Pick<StoredLine, 'lineId' | 'name' | 'displayName'>): LineRef {
    return { lineId: line.lineId, name: line.name, displayName: line.displayName };
  }

  /** call:invite to a line's name. */
  async enqueue(actor: Actor, line: StoredLine, media: Media): Promise<ClientAckResult<'call:invite'>> {
    const now = this.ctx.clock.now();
    const entry = { id: randomUUID(), lineId: line.lineId, callerId: actor.user.userId, callerDeviceId: actor.deviceId, media, enqueuedAt: iso(now), giveUpAt: iso(now + line.maxWaitMs) };
    const callee: UserIdentity = { userId: line.lineId, username: line.name, displayName: line.displayName };
    if (line.whenNoAgent === 'reject' && (await this.positions.servingAgents(line.lineId)) === 0) {
      await this.deps.repo.reject(entry);
      this.ctx.logger.info({ event: 'line-rejected', callId: entry.id, lineId: line.lineId }, 'no agent staffs the line: caller refused');
      return { callId: entry.id, status: 'unavailable', devices: 0, callee, ringUntil: entry.enqueuedAt };
    }
    await this.armMaxWait(entry);
    if (!(await this.deps.repo.enqueue(entry, this.deps.maxWaiting))) throw rateLimited(`Too many callers are waiting for ${line.displayName}`, LINE_FULL_RETRY_MS);
    const queued = await this.waiting(line, entry);
    return { callId: entry.id, status: 'queued', devices: 0, callee, ringUntil: queued.ringUntil, line: queued.line, queue: queued.queue };
  }

  /**
   * D15: the agent `agent` of the answered line call `call` was lost past the resume grace (the call has ended): its
   * customer waits again, at the front of the line (a new entry of the same conversation, priority 1, a fresh maximum
   * wait), told with `call:queued` (why `agent-lost`) instead of `call:ended`.
   */
  async requeueFront(line: StoredLine, call: Readonly<LiveCall>, agent: UserIdentity): Promise<void> {
    const customer = { userId: call.caller.userId, deviceId: call.callerDeviceId };
    const entry = movedEntry({ line, customer, from: call, priority: 1, context: null, now: this.ctx.clock.now() });
    // Not counted against the waiting cap: this caller was let in already and did nothing wrong.
    await this.armMaxWait(entry);
    await this.deps.repo.enqueue(entry, null);
    await this.movedIn(entry.id, { oldCallId: call.callId, by: agent, why: 'agent-lost' });
  }

  /**
   * The one way a caller moved in from an answered call (its entry stored: a transfer's transaction, or requeueFront)
   * starts waiting like any caller; its device is told `call:queued` for the call it left. False when the entry or its
   * line is gone.
   */
  async movedIn(entryId: string, notice: { oldCallId: string; by: UserIdentity; why: QueuedWhy }): Promise<boolean> {
    const entry = await this.deps.repo.find(entryId);
    const line = entry && (await this.deps.lines.find(entry.lineId));
    if (!entry || !line) return false;
    const queued = await this.waiting(line, entry);
    this.ctx.delivery.toDevice(entry.callerId, entry.callerDeviceId, 'call:queued', { ...notice, queued });
    this.ctx.logger.info({ event: 'line-moved-in', callId: entry.id, oldCallId: notice.oldCallId, lineId: line.lineId, why: notice.why }, 'a customer moved into a line waits there');
    return true;
  }

  /**
   * An entry's max-wait timer, armed before the entry is stored (a node that dies right after storing it leaves a
   * caller no one gives up on, on the cluster profile): an entry never stored makes it moot (its handler finds none).
   * Armed again by `waiting` once stored (the same timer: one id per entry and due time).
   */
  armMaxWait(entry: Pick<QueueEntry, 'id' | 'giveUpAt'>): Promise<void> {
    return this.ctx.timers.schedule(LINE_MAX_WAIT_TIMER, entry.id, Date.parse(entry.giveUpAt));
  }

  /** A new entry waits: its max-wait timer, its place in line, a dispatch; what its caller's device is told. */
  private async waiting(line: StoredLine, entry: Pick<QueueEntry, 'id' | 'media' | 'enqueuedAt' | 'giveUpAt'>): Promise<QueuedCall> {
    const now = this.ctx.clock.now();
    await this.armMaxWait(entry);
    this.ctx.logger.info({ event: 'line-enqueued', callId: entry.id, lineId: line.lineId }, 'caller queued');
    const queue = (await this.positions.statuses(line)).find((status) => status.entry.id === entry.id)?.queue ?? { position: 1, waiting: 1, estimate: null, at: iso(now) };
    this.dispatchSoon(line.lineId);
    return this.queuedView(line, entry, queue);
  }

  /** What the caller's device is told of its waiting call (the invite ack, call:queued, session:ready.queuedCalls). */
  private queuedView(line: StoredLine, entry: Pick<QueueEntry, 'id' | 'media' | 'enqueuedAt' | 'giveUpAt'>, queue: QueueStatus): QueuedCall {
    // The caller's own ring timer gives up a little after the server's last chance to answer (max wait, then one offer).
    const ringUntil = iso(Date.parse(entry.giveUpAt) + line.offerTimeoutMs + 5_000);
    return { callId: entry.id, line: this.ref(line), media: entry.media, enqueuedAt: entry.enqueuedAt, giveUpAt: entry.giveUpAt, queue, ringUntil };
  }

  /** session:ready.queuedCalls: the calls of this device waiting in a line, with their place now (a reconnect or a reload). */
  async queuedCallsOf(userId: string, deviceId: string): Promise<QueuedCall[]> {
    const queued: QueuedCall[] = [];
    for (const entry of await this.deps.repo.openOfCaller(userId, deviceId)) {
      const line = await this.deps.lines.find(entry.lineId);
      const status = line && (await this.positions.statuses(line)).find((s) => s.entry.id === entry.id);
      if (line && status) queued.push(this.queuedView(line, entry, status.queue));
    }
    return queued;
  }

  /**
   * True when the queue answers this actor's ringing/accept/reject/cancel on `callId`: an open entry, or a line call
   * the actor is not a party of (an agent whose offer was answered elsewhere hears ALREADY_ANSWERED, not "no such call").
   * The two parties of an answered line call go to the call service, as for any call.
   */
  async handles(callId: string, actor: Actor): Promise<boolean> {
    const live = this.ctx.registry.get(callId);
    if (live && (live.caller.userId === actor.user.userId || live.callee.userId === actor.user.userId)) return false;
    const entry = await this.deps.repo.find(callId);
    if (!entry) return false;
    return !(entry.state === 'connected' && (entry.callerId === actor.user.userId || entry.agentId === actor.user.userId));
  }

  /** The open entry, if the actor may act on it as its caller or as an offered agent device; else CALL_NOT_FOUND. */
  private async entryFor(actor: Actor, callId: string): Promise<{ entry: QueueEntry; offer: OfferedAgent | null }> {
    const entry = await this.deps.repo.find(callId);
    if (entry) {
      const offer = await this.deps.repo.offerOutcome(callId, actor.user.userId);
      const offeredHere = offer?.deviceIds.includes(actor.deviceId) ?? false;
      if (entry.state === 'waiting' || entry.state === 'offered') {
        if (entry.callerId === actor.user.userId && entry.callerDeviceId === actor.deviceId) return { entry, offer: null };
        if (offeredHere && offer?.outcome === 'pending') return { entry, offer: { agentId: actor.user.userId, deviceIds: offer.deviceIds } };
        if (offeredHere) throw new ProtocolError('NOT_RINGING_HERE', 'The offer to you ended');
      } else if (entry.state === 'connected' && offeredHere) {
        throw new ProtocolError('ALREADY_ANSWERED', 'Another agent answered');
      }
    }
    throw new ProtocolError('CALL_NOT_FOUND', 'No such call');
  }

  /** call:ringing from an offered device: accepted, not forwarded (the caller hears the queue tone, not ringback). */
  async ringing(actor: Actor, callId: string): Promise<Record<string, never>> {
    const { offer } = await this.entryFor(actor, callId);
    if (!offer) throw new ProtocolError('INVALID_STATE', 'The caller cannot report ringing');
    return {};
  }

  async accept(actor: Actor, callId: string): Promise<ClientAckResult<'call:accept'>> {
    const { entry, offer } = await this.entryFor(actor, callId);
    if (!offer) throw new ProtocolError('INVALID_STATE', 'The caller cannot accept');
    const now = this.ctx.clock.now();
    const won = await this.deps.repo.accept(entry, actor.user.userId, actor.deviceId, iso(now));
    if (!won) {
      const after = await this.deps.repo.find(callId);
      throw after?.state === 'connected' ? new ProtocolError('ALREADY_ANSWERED', 'Another agent answered') : new ProtocolError('NOT_RINGING_HERE', 'The offer ended');
    }
    this.ctx.timers.cancel(LINE_OFFER_TIMER, `${entry.id}/${entry.offerRound}`);
    this.ctx.timers.cancel(LINE_MAX_WAIT_TIMER, entry.id);
    this.grace.cancel(entry.id);
    const caller = await this.deps.users.findById(entry.callerId);
    if (!caller) throw new ProtocolError('CALL_NOT_FOUND', 'The caller no longer exists');
    // From here on an ordinary answered call: signals, hold, hang-up and the resume grace work as for any call.
    const call = newLiveCall({
      callId: entry.id,
      caller,
      callee: actor.user,
      callerDeviceId: entry.callerDeviceId,
      media: entry.media,
      startedAt: Date.parse(entry.enqueuedAt),
      ringUntil: now,
      conversationId: entry.conversationId,
      transferredBy: entry.context?.by ?? null,
    });
    call.status = 'active';
    call.answeredDeviceId = actor.deviceId;
    call.answeredAt = now;
    won.devicesRung.forEach((deviceId) => call.delivered.add(deviceId));
    this.ctx.registry.add(call);
    this.ctx.logger.info({ event: 'line-answered', callId: entry.id, lineId: entry.lineId, agentId: actor.user.userId }, 'line call answered');
    this.ctx.delivery.toDevice(entry.callerId, entry.callerDeviceId, 'call:accepted', { callId: entry.id, by: actor.user, deviceId: actor.deviceId });
    for (const deviceId of offer.deviceIds.filter((id) => id !== actor.deviceId)) this.ctx.delivery.toDevice(actor.user.userId, deviceId, 'call:ended', { callId: entry.id, reason: 'answered-elsewhere' });
    this.tellEnded(won.others, entry.id, 'answered-elsewhere');
    this.ctx.onCallStateChanged(entry.callerId);
    this.ctx.onCallStateChanged(actor.user.userId);
    this.deps.agentChanged(actor.user.userId);
    this.afterChange(entry.lineId, won.others);
    const callerOnline = await this.ctx.delivery.isOnline(entry.callerId, entry.callerDeviceId);
    if (!callerOnline) this.deps.callerAwayInCall(call, entry.callerAwaySince ? Date.parse(entry.callerAwaySince) : now);
    return { caller, peerConnected: callerOnline };
  }

  /** A decline skips this agent for this entry only (never a penalty); busy/dnd/blocked decline the same way. */
  async reject(actor: Actor, callId: string): Promise<Record<string, never>> {
    const { entry, offer } = await this.entryFor(actor, callId);
    if (!offer) throw new ProtocolError('INVALID_STATE', 'The caller cannot decline: cancel instead');
    await this.endOffer(entry, actor.user.userId, 'declined', actor.deviceId);
    return {};
  }

  /** The offer to `agentId` ends (declined or withdrawn): its other devices stop ringing; the entry goes on. */
  private async endOffer(entry: QueueEntry, agentId: string, outcome: 'declined' | 'withdrawn', exceptDevice?: string): Promise<void> {
    const ended = await this.deps.repo.endOffer(entry, agentId, outcome, iso(this.ctx.clock.now()));
    if (!ended) throw new ProtocolError('NOT_RINGING_HERE', 'The offer ended');
    for (const deviceId of ended.deviceIds.filter((id) => id !== exceptDevice)) this.ctx.delivery.toDevice(agentId, deviceId, 'call:ended', { callId: entry.id, reason: 'declined-elsewhere' });
    if (ended.waitingAgain) this.ctx.timers.cancel(LINE_OFFER_TIMER, `${entry.id}/${entry.offerRound}`);
    this.deps.agentChanged(agentId);
    this.afterChange(entry.lineId, []);
  }

  /** The caller leaves the queue: recorded as abandoned. */
  async cancel(actor: Actor, callId: string): Promise<Record<string, never>> {
    const { entry, offer } = await this.entryFor(actor, callId);
    if (offer) throw new ProtocolError('INVALID_STATE', 'Only the caller can cancel');
    await this.abandon(entry, null);
    return {};
  }

  /**
   * The caller leaves (cancel), or its device stayed away past the resume grace (connection-lost, as of `lostSince`,
   * when it was last heard from): recorded as abandoned; the offered agents stop ringing and the queue moves up.
   */
  private async abandon(entry: QueueEntry, lostSince: string | null): Promise<void> {
    const reason = lostSince === null ? 'cancelled' : 'connection-lost';
    const offered = lostSince === null ? await this.deps.repo.abandon(entry, 'cancelled', iso(this.ctx.clock.now())) : await this.deps.repo.abandonLost(entry, lostSince);
    if (!offered) {
      if (lostSince === null) throw new ProtocolError('INVALID_STATE', 'The call was answered: hang up instead');
      return;
    }
    this.ctx.timers.cancel(LINE_MAX_WAIT_TIMER, entry.id);
    this.ctx.timers.cancel(LINE_OFFER_TIMER, `${entry.id}/${entry.offerRound}`);
    this.grace.cancel(entry.id);
    this.ctx.logger.info({ event: 'line-abandoned', callId: entry.id, lineId: entry.lineId, reason }, 'caller left the queue');
    // A lost caller is told too: should it connect at this very moment, its queue screen ends (nothing is sent otherwise).
    const by = reason === 'cancelled' ? { by: entry.callerId } : {};
    this.ctx.delivery.toDevice(entry.callerId, entry.callerDeviceId, 'call:ended', { callId: entry.id, reason, ...by });
    this.tellEnded(offered, entry.id, 'cancelled');
    this.afterChange(entry.lineId, offered);
  }

  /** A caller device disconnected (last heard from at `lastSeenAt`): its waiting calls keep their place for the resume grace. */
  async callerGone(userId: string, deviceId: string, lastSeenAt: number): Promise<void> {
    await this.grace.gone(userId, deviceId, lastSeenAt);
  }

  /** A caller device connected: its waiting calls (listed in its session:ready) are no longer away. */
  async callerBack(userId: string, deviceId: string): Promise<void> {
    await this.grace.back(userId, deviceId);
  }

  /** Start of the only node (single profile): every waiting caller gets the resume grace from `upSince`. */
  async restoreCallerGraces(upSince: number): Promise<void> {
    await this.grace.restore(upSince);
  }

  /** An agent stopped being available (away, dnd, its last device left): its pending offer is withdrawn, no penalty. */
  async withdrawOffersOf(agentId: string): Promise<void> {
    const held = await this.deps.agents.offerOf(agentId);
    if (!held) return;
    const entry = await this.deps.repo.find(held);
    if (entry) await this.endOffer(entry, agentId, 'withdrawn').catch(() => undefined);
  }

  private async offerTimedOut(timerId: string): Promise<void> {
    const [entryId = '', round = '0'] = timerId.split('/');
    const entry = await this.deps.repo.find(entryId);
    const missed = await this.deps.repo.timeOut(entryId, Number(round), iso(this.ctx.clock.now()));
    if (!missed || !entry) return;
    this.ctx.logger.info({ event: 'line-offer-timeout', callId: entryId, agents: missed.map((m) => m.agentId) }, 'offer timed out: agents set away (missed offer)');
    this.tellEnded(missed, entryId, 'no-answer');
    this.afterChange(entry.lineId, missed);
  }

  private async maxWait(entryId: string): Promise<void> {
    const entry = await this.deps.repo.find(entryId);
    if (!entry || (entry.state !== 'waiting' && entry.state !== 'offered')) return;
    if (entry.state === 'offered') {
      // The round finishes first: an answer within it always beats the deadline.
      await this.ctx.timers.schedule(LINE_MAX_WAIT_TIMER, entryId, Date.parse(entry.offerUntil ?? entry.giveUpAt) + 100);
      return;
    }
    const offered = await this.deps.repo.giveUp(entry, iso(this.ctx.clock.now()));
    if (!offered) return;
    this.grace.cancel(entryId);
    this.ctx.logger.info({ event: 'line-max-wait', callId: entryId, lineId: entry.lineId }, 'caller waited the line maximum: call ends no-answer');
    this.ctx.delivery.toDevice(entry.callerId, entry.callerDeviceId, 'call:ended', { callId: entryId, reason: 'no-answer' });
    this.afterChange(entry.lineId, offered);
  }

  private tellEnded(agents: readonly OfferedAgent[], callId: string, reason: 'answered-elsewhere' | 'cancelled' | 'no-answer'): void {
    for (const agent of agents) for (const deviceId of agent.deviceIds) this.ctx.delivery.toDevice(agent.agentId, deviceId, 'call:ended', { callId, reason });
  }

  /** After any change: the freed agents' status, the line's watchers, the waiting callers' positions, a new dispatch. */
  private afterChange(lineId: string, agents: readonly OfferedAgent[]): void {
    agents.forEach((agent) => this.deps.agentChanged(agent.agentId));
    this.dispatchSoon(lineId);
  }

  /** Dispatch for every open line the user is a member of (it may have become available). */
  async agentMayBeFree(userId: string): Promise<void> {
    for (const line of await this.deps.lines.linesOf(userId)) this.dispatchSoon(line.lineId);
  }

  /** Runs dispatch(lineId) now, or once more after the running one (one run per line at a time on this node). */
  dispatchSoon(lineId: string): void {
    if (this.running.has(lineId)) {
      this.again.add(lineId);
      return;
    }
    this.running.add(lineId);
    void this.dispatch(lineId)
      .catch((error: unknown) => this.ctx.logger.warn({ event: 'line-dispatch-failed', lineId, err: error }, 'line dispatch failed'))
      .finally(() => {
        this.running.delete(lineId);
        if (this.again.delete(lineId)) this.dispatchSoon(lineId);
      });
  }

  private async dispatch(lineId: string): Promise<void> {
    const line = await this.deps.lines.find(lineId);
    if (!line) return;
    const entries = await this.deps.repo.open(lineId);
    for (const entry of entries.filter((e) => e.state === 'waiting')) {
      const agents = await this.routableAgents(lineId, entry.id, line.strategy === 'ring-all' ? Infinity : 1);
      if (agents.length === 0) continue;
      const now = this.ctx.clock.now();
      const offerUntil = now + line.offerTimeoutMs;
      // The round's timer is armed before the round is committed, so a node that dies right after the commit leaves
      // no round offered for ever. A round not started (lost here) makes it moot: its handler's compare-and-set on the
      // round finds nothing; one another node started arms the same timer, which replaces this one. So it stays.
      await this.ctx.timers.schedule(LINE_OFFER_TIMER, `${entry.id}/${entry.offerRound + 1}`, offerUntil);
      const round = await this.deps.repo.startRound(entry, agents, iso(now), iso(offerUntil));
      if (!round) continue;
      const caller = await this.deps.users.findById(entry.callerId);
      if (!caller) continue;
      const incoming: IncomingCall = {
        callId: entry.id,
        from: caller,
        media: entry.media,
        startedAt: entry.enqueuedAt,
        ringUntil: iso(offerUntil),
        line: this.ref(line),
        ...(entry.context ? { context: entry.context } : {}),
      };
      // Every offer first, then the agents' status pushes: a connection's frames leave once the code queueing them has
      // run (socket/tick-writes.ts), so the first agent's offer waits for the other offers only.
      for (const agent of round.agents) {
        for (const deviceId of agent.deviceIds) this.ctx.delivery.toDevice(agent.agentId, deviceId, 'call:incoming', incoming);
      }
      for (const agent of round.agents) this.deps.agentChanged(agent.agentId);
      this.ctx.logger.info({ event: 'line-offered', callId: entry.id, round: round.round, agents: round.agents.map((a) => a.agentId) }, 'line call offered');
    }
    await this.positions.push(line);
    this.deps.lineChanged(lineId);
  }

  /** Up to `limit` members that are available right now (a connected device, not in a call), longest idle first. */
  private async routableAgents(lineId: string, entryId: string, limit: number): Promise<OfferedAgent[]> {
    const found: OfferedAgent[] = [];
    const candidates = await this.deps.repo.candidates(lineId, entryId);
    const inCall = await this.deps.facts.inCallOf(candidates);
    for (const agentId of candidates) {
      if (found.length >= limit) break;
      if (inCall.has(agentId)) continue;
      const deviceIds = (await this.ctx.delivery.onlineDevices(agentId)).filter((deviceId) => this.deps.lineCapableDevice(agentId, deviceId));
      if (deviceIds.length > 0) found.push({ agentId, deviceIds });
    }
    return found;
  }

  /** False while the line turns new callers away: `whenNoAgent: 'reject'` and no agent staffs it. */
  async takesCallers(lineId: string): Promise<boolean> {
    const line = await this.deps.lines.find(lineId);
    return line !== undefined && (line.whenNoAgent !== 'reject' || (await this.positions.servingAgents(lineId)) > 0);
  }
}
