import { ProtocolError } from '../../../shared/protocol';
import type { OpenCallRow } from '../db/calls-repo';
import { activeCallOf, notFound, participantCall, type Actor } from './call-actor';
import type { CallContext } from './call-context';
import { stopTimers } from './call-ending';
import { newLiveCall, type LiveCall } from './live-call';

/** A LiveCall from its stored row (start-up recovery, or a call another node placed). */
export function liveCallFromRow(row: OpenCallRow, defaultRingMs: number): LiveCall {
  const startedAt = Date.parse(row.startedAt);
  const call = newLiveCall({
    callId: row.callId,
    caller: row.caller,
    callee: row.callee,
    callerDeviceId: row.callerDeviceId,
    media: row.media,
    startedAt,
    ringUntil: row.ringUntil ? Date.parse(row.ringUntil) : startedAt + defaultRingMs,
    conversationId: row.conversationId,
    legKind: row.legKind,
    context: row.context,
  });
  row.heldBy.forEach((userId) => call.heldBy.add(userId));
  row.devicesRung.forEach((deviceId) => call.delivered.add(deviceId));
  row.declined.forEach((deviceId) => call.declined.add(deviceId));
  if (row.status === 'active' && row.answeredDeviceId) {
    call.status = 'active';
    call.answeredDeviceId = row.answeredDeviceId;
    call.answeredAt = Date.parse(row.answeredAt ?? row.startedAt);
  }
  return call;
}

/** This node's copy of a call takes the stored state (what another node changed). */
function adopt(call: LiveCall, stored: LiveCall): void {
  call.status = stored.status;
  call.answeredDeviceId = stored.answeredDeviceId;
  call.answeredAt = stored.answeredAt;
  stored.delivered.forEach((deviceId) => call.delivered.add(deviceId));
  stored.declined.forEach((deviceId) => call.declined.add(deviceId));
  stored.heldBy.forEach((userId) => call.heldBy.add(userId)); // an open transfer's hold, as stored
}

/**
 * Finds the call a client action names. This node's registry caches the calls it knows; with a shared store
 * (another node may have placed or moved the call) a call it does not know is loaded from storage. In the
 * single profile the registry is the whole truth (this process is the only writer), so nothing is loaded.
 */
export class CallLookup {
  constructor(private readonly ctx: CallContext) {}

  async get(callId: string): Promise<LiveCall | undefined> {
    const cached = this.ctx.registry.get(callId);
    if (cached || this.ctx.settings.soleWriter) return cached;
    const row = await this.ctx.repo.findOpen(callId);
    if (!row) return undefined;
    const known = this.ctx.registry.get(callId); // loaded meanwhile by another action
    if (known) return known;
    const call = liveCallFromRow(row, this.ctx.settings.ringTimeoutMs);
    this.ctx.registry.add(call);
    return call;
  }

  /**
   * Before a device of `userId` is told its calls (session:ready): with a shared store, this node's copies of
   * the user's calls are brought up to date from storage (calls placed or moved on other nodes appear, calls
   * ended elsewhere leave). Nothing to do in the single profile.
   */
  async refreshCallsOf(userId: string): Promise<void> {
    if (this.ctx.settings.soleWriter) return;
    const rows = await this.ctx.repo.openCallsOf(userId);
    const open = new Set(rows.map((row) => row.callId));
    for (const call of this.ctx.registry.ofUser(userId)) {
      if (!open.has(call.callId)) this.forget(call);
    }
    for (const row of rows) {
      const stored = liveCallFromRow(row, this.ctx.settings.ringTimeoutMs);
      const call = this.ctx.registry.get(row.callId);
      if (call) adopt(call, stored);
      else this.ctx.registry.add(stored);
    }
  }

  /** A call that ended on another node leaves this node's registry (its timers with it). */
  private forget(call: LiveCall): void {
    stopTimers(this.ctx, call);
    this.ctx.registry.remove(call);
  }

  async participantCall(callId: string, actor: Actor): Promise<LiveCall> {
    return participantCall(await this.get(callId), actor);
  }

  /**
   * With a shared store, a copy still ringing here may have been answered on another node (its devices were
   * told through the adapter, this node's registry was not): the stored state decides before a refusal.
   */
  async activeCallOf(callId: string, actor: Actor): Promise<LiveCall> {
    const call = await this.get(callId);
    if (call?.status === 'ringing' && !this.ctx.settings.soleWriter) await this.reload(call);
    return activeCallOf(this.ctx.registry.get(callId), actor);
  }

  /**
   * A call as the server knows it now, for server-driven actions (transfers): with a shared store a copy still
   * ringing here may have been answered on another node, so the stored state is taken first.
   */
  async current(callId: string): Promise<LiveCall | undefined> {
    const call = await this.get(callId);
    if (call?.status === 'ringing' && !this.ctx.settings.soleWriter) await this.reload(call);
    return this.ctx.registry.get(callId);
  }

  /** This node's copy of one call takes the stored state (a call that ended elsewhere leaves the registry). */
  async refreshCall(callId: string): Promise<void> {
    const call = this.ctx.registry.get(callId);
    if (call) await this.reload(call);
  }

  /** Replaces this node's copy with the stored state (a call that ended elsewhere leaves the registry). */
  private async reload(call: LiveCall): Promise<void> {
    const row = await this.ctx.repo.findOpen(call.callId);
    if (!row) {
      if (this.ctx.registry.get(call.callId) === call) this.forget(call);
      return;
    }
    adopt(call, liveCallFromRow(row, this.ctx.settings.ringTimeoutMs));
  }

  /**
   * A transition of `call` lost its compare-and-set: another node moved the call first. The stored state
   * replaces this node's copy, and the actor gets the error that state means.
   */
  async whyNot(call: LiveCall, actor: Actor): Promise<ProtocolError> {
    await this.reload(call);
    if (this.ctx.registry.get(call.callId) !== call) return notFound();
    if (call.status === 'active') return new ProtocolError('ALREADY_ANSWERED', 'The call was already answered');
    if (call.declined.has(actor.deviceId)) return new ProtocolError('NOT_RINGING_HERE', 'The call does not ring on this device');
    return new ProtocolError('INVALID_STATE', 'The call changed meanwhile; try again');
  }
}
