import type { ActiveCall, IncomingCall, OutgoingCall } from '../../../shared/protocol';
import type { OpenCallRow } from '../db/calls-repo';
import type { Actor } from './call-actor';
import type { CallContext } from './call-context';
import { armRingTimer, finishFromTimer, ringingNotices } from './call-ending';
import { liveCallFromRow } from './call-lookup';
import { activeView, deviceKey, incomingView, isActiveDevice, isCallerDevice, otherEnd, outgoingView, type LiveCall } from './live-call';
import type { SignalRelay } from './signal-relay';
import { GRACE_TIMER, graceTimerId } from './call-timers';

/** The calls a (re)connecting device is part of: the body of session:ready. */
export interface DeviceCalls {
  pendingInvites: IncomingCall[];
  outgoingCalls: OutgoingCall[];
  activeCalls: ActiveCall[];
}

/**
 * Devices coming and going: pending invites for a device that connects while a call rings,
 * the resume grace for participants whose signalling dropped, and restoring calls after a restart.
 */
export class DeviceSessions {
  private frozen = false;
  /** Asked before a lost device's call ends: true when another module (transfers, D15) took care of the call. */
  private lostHandler: ((call: LiveCall, userId: string, deviceId: string, lastSeenAt: number) => Promise<boolean>) | null = null;

  constructor(
    private readonly ctx: CallContext,
    private readonly relay: SignalRelay,
  ) {}

  /** Called for every (re)connect, before session:ready is sent. */
  connected(actor: Actor): DeviceCalls {
    const { userId } = actor.user;
    const result: DeviceCalls = { pendingInvites: [], outgoingCalls: [], activeCalls: [] };
    for (const call of this.ctx.registry.ofUser(userId)) {
      if (call.disconnected.has(deviceKey(userId, actor.deviceId))) this.ctx.timers.cancel(GRACE_TIMER, graceTimerId(call.callId, deviceKey(userId, actor.deviceId)));
      if (call.status === 'ringing' && call.callee.userId === userId && !call.declined.has(actor.deviceId)) {
        if (!call.delivered.has(actor.deviceId)) this.ringsOnDevice(call, actor.deviceId);
        result.pendingInvites.push(incomingView(call));
      } else if (call.status === 'ringing' && isCallerDevice(call, userId, actor.deviceId)) {
        result.outgoingCalls.push(outgoingView(call));
      } else if (isActiveDevice(call, userId, actor.deviceId)) {
        result.activeCalls.push(activeView(call, userId));
      }
    }
    return result;
  }

  /**
   * The call now rings on one more device; stored too, so the count of devices still ringing (declines) and
   * other nodes see it. Not awaited: the device gets the call in session:ready at once; SQLite runs the insert
   * before any later statement of this process, and a failure leaves the device out of the stored count only.
   */
  private ringsOnDevice(call: LiveCall, deviceId: string): void {
    call.delivered.add(deviceId);
    this.ctx.repo
      .addDevices(call.callId, [deviceId])
      .catch((error: unknown) => this.ctx.logger.warn({ event: 'call-device-unstored', callId: call.callId, deviceId, err: error }, 'could not store a device a call rings on'));
  }

  /**
   * After session:ready: the device's calls take it back (on whichever node it connected to): the other side
   * is told it is back if it was away, and it gets every signal it has not acknowledged, in order.
   */
  async resumed(actor: Actor): Promise<void> {
    const { userId } = actor.user;
    const key = deviceKey(userId, actor.deviceId);
    for (const call of this.ctx.registry.ofUser(userId)) {
      const isParticipantDevice = isActiveDevice(call, userId, actor.deviceId) || (call.status === 'ringing' && isCallerDevice(call, userId, actor.deviceId));
      if (!isParticipantDevice) continue;
      try {
        const { wasAway, unacked } = await this.ctx.resume.resume(call, key);
        this.storeAway(call, userId, actor.deviceId, null);
        if (call.status !== 'active') continue;
        if (wasAway) {
          const other = otherEnd(call, userId);
          this.ctx.delivery.toDevice(other.user.userId, other.deviceId, 'call:peer-connection', { callId: call.callId, connected: true });
        }
        this.relay.resend(call, userId, actor.deviceId, unacked);
      } catch (error) {
        this.ctx.logger.warn({ event: 'resume-failed', callId: call.callId, err: (error as Error).message }, 'could not resume a call for a returning device');
      }
    }
  }

  /**
   * The device's last socket is gone; it was last heard from at `lastSeenAt` (a silent drop is
   * noticed only a heartbeat later). Ringing callee devices need nothing: the call keeps ringing for them.
   */
  disconnected(actor: Actor, lastSeenAt: number): void {
    if (this.frozen) return;
    const { userId } = actor.user;
    for (const call of this.ctx.registry.ofUser(userId)) {
      const isParticipantDevice = isActiveDevice(call, userId, actor.deviceId) || (call.status === 'ringing' && isCallerDevice(call, userId, actor.deviceId));
      if (!isParticipantDevice) continue;
      this.markDisconnected(call, userId, actor.deviceId, lastSeenAt);
      if (call.status === 'active') {
        const other = otherEnd(call, userId);
        this.ctx.delivery.toDevice(other.user.userId, other.deviceId, 'call:peer-connection', { callId: call.callId, connected: false });
      }
    }
  }

  /**
   * On start (after a planned restart or a crash), with every device still away:
   * - a ringing call whose deadline has not passed keeps ringing until it (its devices get it again in
   *   session:ready); one whose deadline passed while the server was down ends no-answer with one missed call;
   * - an answered call waits for its two devices, each within the resume grace.
   * `upSince` is when this process started: the last moment the devices are known to have been there.
   * Settles once the expired calls' ends have been tried, so no device that connects next is offered one of them.
   */
  async restore(rows: OpenCallRow[], upSince: number): Promise<{ ringing: number; expired: number; restored: number }> {
    const counts = { ringing: 0, expired: 0, restored: 0 };
    const expiredEnds: Promise<void>[] = [];
    for (const row of rows) {
      const call = liveCallFromRow(row, this.ctx.settings.ringTimeoutMs);
      this.ctx.registry.add(call);
      if (call.status === 'active' && call.answeredDeviceId) {
        this.markDisconnected(call, call.caller.userId, call.callerDeviceId, upSince);
        this.markDisconnected(call, call.callee.userId, call.answeredDeviceId, upSince);
        counts.restored += 1;
      } else if (call.ringUntil > this.ctx.clock.now()) {
        void armRingTimer(this.ctx, call);
        this.markDisconnected(call, call.caller.userId, call.callerDeviceId, upSince);
        counts.ringing += 1;
      } else {
        expiredEnds.push(finishFromTimer(this.ctx, call, () => ({ outcome: 'no-answer', endReason: 'no-answer', endedBy: null, missed: true, notices: [], endedAt: call.ringUntil })));
        counts.expired += 1;
      }
    }
    await Promise.all(expiredEnds);
    return counts;
  }

  /**
   * A call answered while its caller's device was away (a line call whose waiting caller dropped, within its grace):
   * the call takes the away on, with its own resume grace from `lastSeenAt`, as if the device had dropped during it.
   */
  answeredWhileAway(call: LiveCall, userId: string, deviceId: string, lastSeenAt: number): void {
    this.markDisconnected(call, userId, deviceId, lastSeenAt);
  }

  /** Who acts first when a device's grace expires (`lastSeenAt`: when it was last heard from); true: handled, no default end. */
  onGraceExpired(handler: (call: LiveCall, userId: string, deviceId: string, lastSeenAt: number) => Promise<boolean>): void {
    this.lostHandler = handler;
  }

  /** Graceful shutdown: ignore the disconnects that follow (the service stops this node's timers). */
  freeze(): void {
    this.frozen = true;
  }

  /** The grace runs from when the device was last heard from, so a silent drop does not stretch it. */
  private markDisconnected(call: LiveCall, userId: string, deviceId: string, lastSeenAt: number): void {
    const key = deviceKey(userId, deviceId);
    this.ctx.resume
      .markAway(call, key, lastSeenAt)
      .catch((error: unknown) => this.ctx.logger.warn({ event: 'away-unstored', callId: call.callId, err: (error as Error).message }, 'could not record a device as away'));
    void this.ctx.timers.schedule(GRACE_TIMER, graceTimerId(call.callId, key), lastSeenAt + this.ctx.settings.resumeGraceMs);
    this.storeAway(call, userId, deviceId, lastSeenAt);
  }

  /**
   * With a shared store, since when the device is away (null: back) is also on the call's row: the database
   * sweep ends a grace whose timer was lost (call-timers.ts). In one process the timers live and die with the
   * process, and a start restores every open call, so nothing is written.
   */
  private storeAway(call: LiveCall, userId: string, deviceId: string, since: number | null): void {
    if (this.ctx.settings.soleWriter) return;
    const side = isCallerDevice(call, userId, deviceId) ? 'caller' : 'callee';
    this.ctx.repo
      .markAway(call.callId, side, since === null ? null : new Date(since).toISOString())
      .catch((error: unknown) => this.ctx.logger.warn({ event: 'away-unstored', callId: call.callId, err: (error as Error).message }, 'could not record a device as away'));
  }

  /**
   * The grace timer's handler, on whichever node runs it (`call` as that node knows it, loaded if need be):
   * re-checks that the call is open and the device still has no socket anywhere; the end is a compare-and-set.
   */
  async graceDue(call: LiveCall | undefined, key: string, dueAt: number): Promise<void> {
    if (!call) return;
    const slash = key.indexOf('/');
    const [userId, deviceId] = [key.slice(0, slash), key.slice(slash + 1)];
    if (await this.ctx.delivery.isOnline(userId, deviceId)) {
      this.storeAway(call, userId, deviceId, null); // back (perhaps found by the sweep): nothing more to sweep
      return;
    }
    const lastSeenAt = call.lastSeen.get(key) ?? dueAt - this.ctx.settings.resumeGraceMs;
    if (this.lostHandler && (await this.lostHandler(call, userId, deviceId, lastSeenAt))) return;
    this.graceExpired(call, userId, lastSeenAt);
  }

  /** The device did not come back: the call ended when it was last heard from (its talk time stops there). */
  private graceExpired(call: LiveCall, lostUserId: string, lastSeenAt: number): void {
    if (call.status === 'ringing') {
      void finishFromTimer(this.ctx, call, () => ({
        outcome: 'cancelled',
        endReason: 'connection-lost',
        endedBy: null,
        missed: true,
        notices: ringingNotices(call, 'connection-lost'),
        endedAt: lastSeenAt,
      }));
      return;
    }
    const other = otherEnd(call, lostUserId);
    void finishFromTimer(this.ctx, call, () => ({
      outcome: 'answered',
      endReason: 'connection-lost',
      endedBy: null,
      missed: false,
      notices: [{ userId: other.user.userId, deviceId: other.deviceId, reason: 'connection-lost' }],
      endedAt: lastSeenAt,
    }));
  }
}
