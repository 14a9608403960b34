import type { ActiveCall, IncomingCall, OutgoingCall } from '../../../shared/protocol';
import type { OpenCallRow } from '../db/calls-repo';
import type { Actor } from './call-actor';
import type { CallContext } from './call-context';
import { finishCall, ringingNotices } from './call-ending';
import { activeView, deviceKey, incomingView, isActiveDevice, isCallerDevice, newLiveCall, otherEnd, outgoingView, type LiveCall } from './live-call';

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

  constructor(private readonly ctx: CallContext) {}

  /** Called for every (re)connect, before session:ready is sent. */
  connected(actor: Actor): DeviceCalls {
    const { userId } = actor.user;
    const result: DeviceCalls = { pendingInvites: [], outgoingCalls: [], activeCalls: [] };
    for (const call of this.ctx.registry.ofUser(userId)) {
      const timer = call.graceTimers.get(deviceKey(userId, actor.deviceId));
      if (timer) {
        this.ctx.clock.clearTimer(timer);
        call.graceTimers.delete(deviceKey(userId, actor.deviceId));
      }
      if (call.status === 'ringing' && call.callee.userId === userId && !call.declined.has(actor.deviceId)) {
        call.delivered.add(actor.deviceId);
        result.pendingInvites.push(incomingView(call));
      } else if (call.status === 'ringing' && isCallerDevice(call, userId, actor.deviceId)) {
        result.outgoingCalls.push(outgoingView(call));
      } else if (isActiveDevice(call, userId, actor.deviceId)) {
        result.activeCalls.push(activeView(call, userId));
      }
    }
    return result;
  }

  /** After session:ready: tell the other side the device is back and flush signals kept for it. */
  resumed(actor: Actor): void {
    const key = deviceKey(actor.user.userId, actor.deviceId);
    for (const call of this.ctx.registry.ofUser(actor.user.userId)) {
      if (!call.disconnected.delete(key)) continue;
      if (call.status !== 'active') continue;
      const other = otherEnd(call, actor.user.userId);
      this.ctx.delivery.toDevice(other.user.userId, other.deviceId, 'call:peer-connection', { callId: call.callId, connected: true });
      const mine = call.pendingSignals.filter((signal) => signal.toUserId === actor.user.userId && signal.toDeviceId === actor.deviceId);
      call.pendingSignals = call.pendingSignals.filter((signal) => !mine.includes(signal));
      for (const signal of mine) this.ctx.delivery.toDevice(actor.user.userId, actor.deviceId, 'call:signal', signal.payload);
    }
  }

  /** The device's last socket is gone. Ringing callee devices need nothing: the call keeps ringing for them. */
  disconnected(actor: Actor): void {
    if (this.frozen) return;
    const { userId } = actor.user;
    for (const call of this.ctx.registry.ofUser(userId)) {
      const isParticipantDevice = isActiveDevice(call, userId, actor.deviceId) || (call.status === 'ringing' && isCallerDevice(call, userId, actor.deviceId));
      if (!isParticipantDevice) continue;
      this.markDisconnected(call, userId, actor.deviceId);
      if (call.status === 'active') {
        const other = otherEnd(call, userId);
        this.ctx.delivery.toDevice(other.user.userId, other.deviceId, 'call:peer-connection', { callId: call.callId, connected: false });
      }
    }
  }

  /** On start: ringing calls could not survive the restart; answered calls wait for their devices. */
  restore(rows: OpenCallRow[]): { failed: number; restored: number } {
    let failed = 0;
    let restored = 0;
    for (const row of rows) {
      const call = newLiveCall({
        callId: row.callId,
        caller: row.caller,
        callee: row.callee,
        callerDeviceId: row.callerDeviceId,
        media: row.media,
        startedAt: Date.parse(row.startedAt),
        ringUntil: Date.parse(row.startedAt),
      });
      row.devicesRung.forEach((deviceId) => call.delivered.add(deviceId));
      this.ctx.registry.add(call);
      if (row.status === 'ringing' || !row.answeredDeviceId) {
        finishCall(this.ctx, call, { outcome: 'failed', endReason: 'server-restart', endedBy: null, missed: true, notices: [] });
        failed += 1;
        continue;
      }
      call.status = 'active';
      call.answeredDeviceId = row.answeredDeviceId;
      call.answeredAt = Date.parse(row.answeredAt ?? row.startedAt);
      this.markDisconnected(call, call.caller.userId, call.callerDeviceId);
      this.markDisconnected(call, call.callee.userId, row.answeredDeviceId);
      restored += 1;
    }
    return { failed, restored };
  }

  /** Graceful shutdown: stop every timer and ignore the disconnects that follow. */
  freeze(): void {
    this.frozen = true;
    for (const call of this.ctx.registry.all()) {
      if (call.ringTimer) this.ctx.clock.clearTimer(call.ringTimer);
      call.graceTimers.forEach((timer) => this.ctx.clock.clearTimer(timer));
      call.ringTimer = null;
      call.graceTimers.clear();
    }
  }

  private markDisconnected(call: LiveCall, userId: string, deviceId: string): void {
    const key = deviceKey(userId, deviceId);
    call.disconnected.add(key);
    const existing = call.graceTimers.get(key);
    if (existing) this.ctx.clock.clearTimer(existing);
    call.graceTimers.set(
      key,
      this.ctx.clock.setTimer(() => this.graceExpired(call, userId), this.ctx.settings.resumeGraceMs),
    );
  }

  private graceExpired(call: LiveCall, lostUserId: string): void {
    if (call.status === 'ringing') {
      finishCall(this.ctx, call, { outcome: 'cancelled', endReason: 'connection-lost', endedBy: null, missed: true, notices: ringingNotices(call, 'connection-lost') });
      return;
    }
    const other = otherEnd(call, lostUserId);
    finishCall(this.ctx, call, {
      outcome: 'answered',
      endReason: 'connection-lost',
      endedBy: null,
      missed: false,
      notices: [{ userId: other.user.userId, deviceId: other.deviceId, reason: 'connection-lost' }],
    });
  }
}
