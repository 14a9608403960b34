import { randomUUID } from 'node:crypto';
import {
  ProtocolError,
  type ClientAckResult,
  type ParsedClientPayload,
  type RejectReason,
  type EndReason,
  type CallOutcome,
  type CallContext as TransferContext,
  type Media,
  type UserIdentity,
} from '../../../shared/protocol';
import type { CallLinks } from '../db/calls-repo';
import type { Tx } from '../db/schema';
import { identityOf, type UsersRepo } from '../db/users-repo';
import { ringingHere, type Actor } from './call-actor';
import { CallLookup } from './call-lookup';
import type { CallContext } from './call-context';
import { armRingTimer, finishCall, ringingNotices, type CallEndSpec } from './call-ending';
import { deviceKey, incomingView, isCallerDevice, newLiveCall, otherEnd, ringingCalleeDevices, type LiveCall } from './live-call';
import type { SignalRelay } from './signal-relay';
import { RING_TIMER } from './call-timers';

/** Limits invites; each throws RATE_LIMITED when over its limit. */
export interface InviteLimiter {
  /** Invites the user places. */
  outgoing(callerId: string): Promise<void>;
  /** Invites the user receives, whoever calls. */
  incoming(calleeId: string): Promise<void>;
}

/** User-level rejections end the call for everyone (SEMANTICS.md "call:reject"). */
const USER_LEVEL_REJECT: Record<Exclude<RejectReason, 'declined'>, { callerReason: EndReason; outcome: CallOutcome; missed: boolean }> = {
  busy: { callerReason: 'busy', outcome: 'busy', missed: true },
  dnd: { callerReason: 'dnd', outcome: 'missed', missed: true },
  blocked: { callerReason: 'declined', outcome: 'declined', missed: false },
};

/** A call placed by the server for a transfer (its leg): the id, its links and the context the target sees. */
export interface PlacedCall {
  callId: string;
  links: CallLinks;
  context: TransferContext;
}

/** What the transfer module does when one of its legs is answered (server/src/transfers). */
export interface TransferLegs {
  /** Inside the answer's transaction; false rolls the answer back (the transfer ended first). */
  answerTx(call: LiveCall, trx: Tx): Promise<boolean>;
  /** After the answer committed, before the accepting device's ack. */
  answered(call: LiveCall): Promise<void>;
}

const isTransferLeg = (call: LiveCall) => call.legKind === 'consult' || call.legKind === 'transfer';

/** Call routing: what each client action does to a call. */
export class CallService {
  private readonly calls: CallLookup;
  private transferLegs: TransferLegs | null = null;

  /**
   * Where a call to a service line's name goes (set by the lines module). Until then a line's name is no one to
   * call: USER_NOT_FOUND.
   */
  lineInvites: (actor: Actor & { protocolVersion?: string }, line: UserIdentity, input: ParsedClientPayload<'call:invite'>) => Promise<ClientAckResult<'call:invite'>> = (_actor, line) =>
    Promise.reject(new ProtocolError('USER_NOT_FOUND', `No user ${line.username}`));

  constructor(
    private readonly ctx: CallContext,
    private readonly users: UsersRepo,
    private readonly limiter: InviteLimiter,
    private readonly relay: SignalRelay,
    /** Throws RATE_LIMITED when the device sends too many or too large signals (server/src/limits/signal-limits.ts). */
    private readonly limitSignals: (deviceKey: string, bytes: number) => Promise<void>,
  ) {
    this.calls = new CallLookup(ctx);
  }

  /** The transfer module (it needs this service to place its legs, hence set after construction). */
  setTransferLegs(legs: TransferLegs): void {
    this.transferLegs = legs;
  }

  /** Before a device of the user connects: this node's copies of the user's calls from storage (shared store only). */
  refreshCallsOf(userId: string, deviceId?: string): Promise<void> {
    return this.calls.refreshCallsOf(userId, deviceId);
  }

  /** A new call needs storage now: STORAGE_UNAVAILABLE (nothing created) when the call row cannot be written. */
  async invite(actor: Actor, input: ParsedClientPayload<'call:invite'>): Promise<ClientAckResult<'call:invite'>> {
    await this.limiter.outgoing(actor.user.userId);
    const callee = await this.users.findByUsername(input.to);
    if (!callee) throw new ProtocolError('USER_NOT_FOUND', `No user ${input.to}`);
    // A service line's name: the caller is queued (no per-callee limit: a line exists to receive many calls).
    if (callee.kind === 'line') return this.lineInvites(actor, identityOf(callee), input);
    if (callee.userId === actor.user.userId) throw new ProtocolError('SELF_CALL', 'You cannot call yourself');
    return this.ring(actor, identityOf(callee), input.media, null);
  }

  /** A call the server places for a transfer: the transferor's leg to the target, counted like an invite. */
  async placeCall(actor: Actor, callee: UserIdentity, media: Media, placed: PlacedCall): Promise<ClientAckResult<'call:invite'>> {
    await this.limiter.outgoing(actor.user.userId);
    return this.ring(actor, callee, media, placed);
  }

  private async ring(actor: Actor, calleeIdentity: UserIdentity, media: Media, placed: PlacedCall | null): Promise<ClientAckResult<'call:invite'>> {
    await this.limiter.incoming(calleeIdentity.userId);
    const callee = calleeIdentity;
    const { ctx } = this;
    ctx.writer.requireWritable();
    const now = ctx.clock.now();
    const callId = placed?.callId ?? randomUUID();
    const call = newLiveCall({
      callId,
      caller: actor.user,
      callee: calleeIdentity,
      callerDeviceId: actor.deviceId,
      media,
      startedAt: now,
      ringUntil: now + ctx.settings.ringTimeoutMs,
      // A call placed here is named by no transfer until one starts on it (TransferService.start), unless it is a leg.
      mayHaveTransfer: placed !== null,
      ...(placed ? { conversationId: placed.links.conversationId, legKind: placed.links.legKind, context: placed.context } : {}),
    });
    const online = await ctx.delivery.onlineDevices(callee.userId);
    online.forEach((deviceId) => call.delivered.add(deviceId));
    await ctx.repo.insertRinging({
      callId: call.callId,
      callerId: call.caller.userId,
      calleeId: call.callee.userId,
      callerDeviceId: call.callerDeviceId,
      media: call.media,
      startedAt: new Date(now).toISOString(),
      ringUntil: new Date(call.ringUntil).toISOString(),
      devicesRung: online,
      ...(placed ? { links: placed.links } : {}),
    });
    ctx.registry.add(call);
    ctx.logger.info({ event: 'call-invite', callId: call.callId, from: actor.user.userId, to: callee.userId, devices: online.length }, 'invite');
    for (const deviceId of online) ctx.delivery.toDevice(callee.userId, deviceId, 'call:incoming', incomingView(call));
    const pushed = (await ctx.hooks.onInvite(call, online)).filter((deviceId) => !call.delivered.has(deviceId));
    pushed.forEach((deviceId) => call.delivered.add(deviceId));
    if (pushed.length > 0) {
      await ctx.repo.addDevices(call.callId, pushed).catch((error: unknown) => ctx.logger.warn({ event: 'call-device-unstored', callId: call.callId, err: error }, 'could not store the pushed devices'));
    }

    const ringUntil = new Date(call.ringUntil).toISOString();
    if (call.delivered.size === 0) {
      await finishCall(ctx, call, { outcome: 'unavailable', endReason: 'unavailable', endedBy: null, missed: true, notices: [] });
      return { callId: call.callId, status: 'unavailable', devices: 0, callee: calleeIdentity, ringUntil };
    }
    // The invite is answered once its ring timer is durable: a node dying right after cannot take it along.
    if (ctx.registry.get(call.callId) === call && call.status === 'ringing') await armRingTimer(ctx, call);
    return { callId: call.callId, status: 'ringing', devices: call.delivered.size, callee: calleeIdentity, ringUntil };
  }

  async ringing(actor: Actor, input: ParsedClientPayload<'call:ringing'>): Promise<ClientAckResult<'call:ringing'>> {
    const call = await this.calls.participantCall(input.callId, actor);
    ringingHere(call, actor);
    call.ringingReported = true;
    this.ctx.delivery.toDevice(call.caller.userId, call.callerDeviceId, 'call:ringing', {
      callId: call.callId,
      deviceId: actor.deviceId,
      silent: input.silent,
    });
    return {};
  }

  /**
   * The answer is one compare-and-set on the stored call: of any number of concurrent accepts, on this node or
   * others, exactly one wins; the others get ALREADY_ANSWERED (or CALL_NOT_FOUND when it ended first).
   * Single profile: never refused for storage (recorded in order once storage is back). Cluster:
   * STORAGE_UNAVAILABLE while Postgres is down, and nothing changed.
   */
  async accept(actor: Actor, input: ParsedClientPayload<'call:accept'>): Promise<ClientAckResult<'call:accept'>> {
    const { ctx } = this;
    const call = await this.calls.participantCall(input.callId, actor);
    ringingHere(call, actor);
    const others = ringingCalleeDevices(call, actor.deviceId);
    // Claimed here first (a second accept on this node sees ALREADY_ANSWERED at once), then in storage.
    call.status = 'active';
    call.answeredDeviceId = actor.deviceId;
    call.answeredAt = ctx.clock.now();
    ctx.timers.cancel(RING_TIMER, call.callId);
    const at = new Date(call.answeredAt).toISOString();
    const legs = isTransferLeg(call) ? this.transferLegs : null;
    let vetoed = false;
    const legTx = legs && (async (trx: Tx) => (await legs.answerTx(call, trx)) || ((vetoed = true), false));
    const answer = () => ctx.repo.answer(call.callId, actor.deviceId, at, [...call.delivered], legTx ?? undefined);
    // The claim is settled (kept, or undone) before anyone waiting on `answering` looks at the call again. What must
    // follow the answer (the pushed phones' cancel) is armed before its commit, to outlive this node.
    const stop = { reason: 'answered-elsewhere', answeredDeviceId: actor.deviceId } as const;
    const settled = ctx.hooks.beforeRingingStops(call, stop).then(() => ctx.writer.commit(`answer of call ${call.callId}`, answer)).then(
      (outcome) => {
        if (outcome === 'lost') this.unclaim(call);
        return outcome;
      },
      (error: unknown) => {
        this.unclaim(call);
        throw error;
      },
    );
    call.answering = settled.then(
      () => undefined,
      () => undefined,
    );
    const result = await settled.finally(() => {
      call.answering = null;
    });
    if (result === 'lost') {
      // A transfer leg whose transfer was cancelled first: the call is over for the target (its cancel ends it).
      if (vetoed) throw new ProtocolError('CALL_NOT_FOUND', 'The transfer was cancelled');
      throw await this.calls.whyNot(call, actor);
    }
    ctx.logger.info({ event: 'call-answered', callId: call.callId, deviceId: actor.deviceId }, 'answered');

    // A blind leg's transferor is never connected to the target: the leg completes at once (call:replaced).
    if (call.legKind !== 'transfer') {
      ctx.delivery.toDevice(call.caller.userId, call.callerDeviceId, 'call:accepted', { callId: call.callId, by: call.callee, deviceId: actor.deviceId });
    }
    for (const deviceId of others) {
      ctx.delivery.toDevice(call.callee.userId, deviceId, 'call:ended', { callId: call.callId, reason: 'answered-elsewhere' });
    }
    if (legs) await legs.answered(call);
    ctx.hooks.onCallAnswered(call);
    ctx.onCallStateChanged(call.caller.userId);
    ctx.onCallStateChanged(call.callee.userId);
    return { caller: call.caller, peerConnected: !call.disconnected.has(deviceKey(call.caller.userId, call.callerDeviceId)) };
  }

  /** An answer storage did not take: the call rings again here, on its old deadline. */
  private unclaim(call: LiveCall): void {
    this.ctx.hooks.onRingingStopUndone(call);
    if (call.status !== 'active') return;
    call.status = 'ringing';
    call.answeredDeviceId = null;
    call.answeredAt = null;
    if (this.ctx.registry.get(call.callId) === call) void armRingTimer(this.ctx, call);
  }

  /**
   * One device declining is a compare-and-set on its row; the decline that leaves no device ringing ends the
   * call (counted in storage, so devices on other nodes count too). User-level reasons end it for everyone.
   */
  async reject(actor: Actor, input: ParsedClientPayload<'call:reject'>): Promise<ClientAckResult<'call:reject'>> {
    const call = await this.calls.participantCall(input.callId, actor);
    ringingHere(call, actor);
    if (input.reason === 'declined') {
      call.declined.add(actor.deviceId);
      let ringing = ringingCalleeDevices(call).length;
      const decline = async () => {
        const stored = await this.ctx.repo.decline(call.callId, actor.deviceId, new Date(this.ctx.clock.now()).toISOString());
        ringing = stored.ringing;
        return stored.declined;
      };
      try {
        await this.ctx.writer.commit(`decline of call ${call.callId}`, decline);
      } catch (error) {
        call.declined.delete(actor.deviceId);
        throw error;
      }
      if (ringing === 0 && call.status === 'ringing') {
        await finishCall(this.ctx, call, {
          outcome: 'declined',
          endReason: 'declined',
          endedBy: actor.user.userId,
          missed: false,
          notices: [{ userId: call.caller.userId, deviceId: call.callerDeviceId, reason: 'declined' }],
        });
      }
      return {};
    }
    const rule = USER_LEVEL_REJECT[input.reason];
    const notices = ringingNotices(call, rule.callerReason, 'declined-elsewhere', actor.deviceId);
    notices.push({ userId: actor.user.userId, deviceId: actor.deviceId, reason: rule.callerReason });
    await this.endOrExplain(call, actor, { outcome: rule.outcome, endReason: rule.callerReason, endedBy: actor.user.userId, missed: rule.missed, notices });
    return {};
  }

  /**
   * The server ends a call from whatever state it is in now (a transfer's leg, cancelled): ringing → every device
   * is told `ringingReason`; answered → hung up by `by`. A state another node moved first is re-read and tried once more.
   */
  async endCall(callId: string, by: string | null, ringingReason: EndReason): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await this.calls.get(callId);
      if (found?.answering) await found.answering; // an answer in flight decides first whether the call is answered
      const call = found && this.ctx.registry.get(callId);
      if (!call) return;
      const spec: CallEndSpec =
        call.status === 'ringing'
          ? { outcome: 'cancelled', endReason: ringingReason, endedBy: by, missed: false, notices: ringingNotices(call, ringingReason) }
          : {
              outcome: 'answered',
              endReason: 'hangup',
              endedBy: by,
              missed: false,
              notices: [
                { userId: call.caller.userId, deviceId: call.callerDeviceId, reason: 'hangup' },
                { userId: call.callee.userId, deviceId: call.answeredDeviceId ?? '', reason: 'hangup' },
              ],
            };
      if ((await finishCall(this.ctx, call, spec)) !== 'lost') return;
      if (!this.ctx.settings.soleWriter) await this.calls.refreshCall(callId);
    }
  }

  /** Ends the call as the actor asked; when another node moved it first, the actor is told why not. */
  private async endOrExplain(call: LiveCall, actor: Actor, spec: CallEndSpec): Promise<void> {
    if ((await finishCall(this.ctx, call, spec)) === 'lost') throw await this.calls.whyNot(call, actor);
  }

  async cancel(actor: Actor, input: ParsedClientPayload<'call:cancel'>): Promise<ClientAckResult<'call:cancel'>> {
    const call = await this.calls.participantCall(input.callId, actor);
    if (!isCallerDevice(call, actor.user.userId, actor.deviceId)) throw new ProtocolError('INVALID_STATE', 'Only the caller can cancel');
    if (call.status !== 'ringing') throw new ProtocolError('INVALID_STATE', 'The call was answered: hang up instead');
    await this.endOrExplain(call, actor, { outcome: 'cancelled', endReason: 'cancelled', endedBy: actor.user.userId, missed: true, notices: ringingNotices(call, 'cancelled') });
    return {};
  }

  async hangup(actor: Actor, input: ParsedClientPayload<'call:hangup'>): Promise<ClientAckResult<'call:hangup'>> {
    const call = await this.calls.activeCallOf(input.callId, actor);
    const other = otherEnd(call, actor.user.userId);
    await this.endOrExplain(call, actor, {
      outcome: 'answered',
      endReason: input.reason,
      endedBy: actor.user.userId,
      missed: false,
      ...(input.mediaLastSeenAt ? { endedAt: Date.parse(input.mediaLastSeenAt) } : {}),
      notices: [
        { userId: actor.user.userId, deviceId: actor.deviceId, reason: input.reason },
        { userId: other.user.userId, deviceId: other.deviceId, reason: input.reason },
      ],
    });
    return {};
  }

  /** Only the two devices of the call are counted against the signal limits: a refusal for anyone else costs nothing. */
  async signal(actor: Actor, input: ParsedClientPayload<'call:signal'>): Promise<ClientAckResult<'call:signal'>> {
    const call = await this.calls.activeCallOf(input.callId, actor);
    await this.limitSignals(deviceKey(actor.user.userId, actor.deviceId), JSON.stringify(input.data).length);
    return this.relay.send(call, actor, input.data);
  }

  async hold(actor: Actor, input: ParsedClientPayload<'call:hold'>): Promise<ClientAckResult<'call:hold'>> {
    const call = await this.sideState(actor, input.callId, 'heldBy', input.held);
    const other = otherEnd(call, actor.user.userId);
    this.ctx.delivery.toDevice(other.user.userId, other.deviceId, 'call:hold', { callId: call.callId, held: input.held, by: actor.user.userId });
    return {};
  }

  async mute(actor: Actor, input: ParsedClientPayload<'call:mute'>): Promise<ClientAckResult<'call:mute'>> {
    const call = await this.sideState(actor, input.callId, 'mutedBy', input.muted);
    const other = otherEnd(call, actor.user.userId);
    this.ctx.delivery.toDevice(other.user.userId, other.deviceId, 'call:mute', { callId: call.callId, muted: input.muted, by: actor.user.userId });
    return {};
  }

  /** Records one side's hold or mute on its answered call (session:ready tells a resuming device). */
  private async sideState(actor: Actor, callId: string, set: 'heldBy' | 'mutedBy', on: boolean): Promise<LiveCall> {
    const call = await this.calls.activeCallOf(callId, actor);
    if (on) call[set].add(actor.user.userId);
    else call[set].delete(actor.user.userId);
    return call;
  }
}
