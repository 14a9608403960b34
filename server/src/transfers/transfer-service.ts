import { randomUUID } from 'node:crypto';
import { ProtocolError, type ClientAckResult, type ParsedClientPayload, type TransferEndReason, type TransferState, type TransferView, type UserIdentity } from '../../../shared/protocol';
import type { Tx } from '../db/schema';
import { identityOf, type UsersRepo } from '../db/users-repo';
import type { Actor } from '../calls/call-actor';
import type { CallContext } from '../calls/call-context';
import { CallLookup } from '../calls/call-lookup';
import type { CallService } from '../calls/call-service';
import { GRACE_TIMER, graceTimerId } from '../calls/call-timers';
import { deviceKey, otherEnd, type LiveCall } from '../calls/live-call';
import { transferRefusal } from '../../../shared/call/transfer-rule';
import { completeTransfer } from './transfer-complete';
import { OPEN_STATES, type TransferChange, type TransferRepo, type TransferRow } from './transfer-repo';
import { LineMoves, noLines, type TransferLine, type TransferLinePort } from './transfer-to-line';
import { allCurrent, legCompletable, refuseOutdatedExpert, refuseOutdatedParties, type DeviceVersions } from './transfer-versions';
import { conferenceView, transferView, type TransferParties } from './transfer-views';

/** How long after a leg's ring deadline a lost transferor's held original is looked at again. */
const RECHECK_AFTER_RING_MS = 1_000;
const notFound = () => new ProtocolError('TRANSFER_NOT_FOUND', 'No such transfer');
const LEG_END_REASON: Record<string, TransferEndReason> = {
  declined: 'declined',
  'declined-elsewhere': 'declined',
  busy: 'busy',
  dnd: 'busy',
  'no-answer': 'no-answer',
  unavailable: 'unavailable',
  cancelled: 'cancelled',
};

/**
 * Blind and consult transfers, swap, merge, complete and cancel (docs/design/lines-and-transfers.md 2.5). The
 * transfers row is the state of record: every transition is a compare-and-set on it, so two devices, two nodes or
 * a client and a timer never both win. Effects (holds, notices) follow the commit.
 */
export class TransferService {
  private readonly calls: CallLookup;
  private readonly lineMoves: LineMoves;
  /** Which devices are too old for a transfer's steps (set by the service: it knows the sockets). */
  versions: DeviceVersions = allCurrent;

  constructor(
    private readonly ctx: CallContext,
    private readonly repo: TransferRepo,
    private readonly users: UsersRepo,
    private readonly callService: CallService,
    private readonly lines: TransferLinePort = noLines,
  ) {
    this.calls = new CallLookup(ctx);
    this.lineMoves = new LineMoves(ctx, repo, lines, this.calls);
  }

  private now(): string {
    return new Date(this.ctx.clock.now()).toISOString();
  }

  async start(actor: Actor, input: ParsedClientPayload<'call:transfer'>): Promise<ClientAckResult<'call:transfer'>> {
    const call = await this.calls.activeCallOf(input.callId, actor);
    call.mayHaveTransfer = true; // before its row exists: the call's end looks it up from now on
    const fromLine = await this.lines.lineOfCall(call.callId);
    const refusal = transferRefusal({
      transferLeg: call.legKind === 'consult' || call.legKind === 'transfer',
      lineCaller: fromLine !== null && call.caller.userId === actor.user.userId,
      inConference: call.conference?.active === true,
    });
    if (refusal === 'transfer-leg') throw new ProtocolError('INVALID_STATE', 'A consult leg cannot be transferred');
    if (refusal === 'line-caller') throw new ProtocolError('FORBIDDEN', 'Only the agent can transfer a line call');
    if (refusal === 'in-conference') throw new ProtocolError('TRANSFER_CONFLICT', 'The call is in a three-way call');
    const target = await this.users.findByUsername(input.to);
    if (!target) throw new ProtocolError('USER_NOT_FOUND', `No user ${input.to}`);
    const customer = otherEnd(call, actor.user.userId);
    if (target.userId === actor.user.userId || target.userId === customer.user.userId) throw new ProtocolError('SELF_CALL', 'The target is already in this call');
    const line = await this.lines.lineOf(target.userId);
    if (line === 'closed') throw new ProtocolError('USER_NOT_FOUND', `No user ${input.to}`);
    if (line) return this.toLine(actor, call, input, line, identityOf(target));
    const targetDevices = await this.ctx.delivery.onlineDevices(target.userId);
    if (targetDevices.length === 0) throw new ProtocolError('TARGET_UNAVAILABLE', `${target.username} cannot be reached now`);
    refuseOutdatedParties(this.versions, { userId: customer.user.userId, deviceId: customer.deviceId }, input.mode === 'blind' ? { userId: target.userId, deviceIds: targetDevices } : null);
    this.ctx.writer.requireWritable();
    const targetIdentity = identityOf(target);
    const at = this.now();
    const row = {
      id: randomUUID(),
      originalCallId: call.callId,
      conversationId: call.conversationId,
      kind: input.mode,
      transferorId: actor.user.userId,
      transferorDevice: actor.deviceId,
      customerId: customer.user.userId,
      customerDevice: customer.deviceId,
      targetId: target.userId,
      legCallId: randomUUID(),
      state: 'ringing' as const,
      liveLeg: 'leg' as const,
      autoComplete: input.mode === 'blind',
      createdAt: at,
    };
    if (!(await this.repo.insertOpen(row))) throw new ProtocolError('TRANSFER_CONFLICT', 'This call already has an open transfer');
    this.ctx.logger.info({ event: 'transfer-started', transferId: row.id, callId: call.callId, mode: input.mode }, 'transfer started');
    this.setHold(call, actor.user.userId, true);
    const parties = { transferor: actor.user, customer: customer.user, target: targetIdentity };
    try {
      await this.callService.placeCall(actor, targetIdentity, input.media, {
        callId: row.legCallId,
        links: { conversationId: call.conversationId, parentCallId: call.callId, legKind: input.mode === 'blind' ? 'transfer' : 'consult' },
        context: { kind: input.mode === 'blind' ? 'transfer' : 'consult', by: actor.user, for: customer.user },
      });
    } catch (error) {
      // The leg could not be placed (storage, limits): the transfer fails and the customer is back at once.
      await this.resolve(row.id, ['ringing'], { state: 'failed', endReason: 'failed' });
      throw error;
    }
    return { transfer: await this.viewOf(row.id, parties) };
  }

  /** Blind transfer to a service line (design D13, transfer-to-line.ts); a move that lost (the call ended) fails the transfer. */
  private async toLine(actor: Actor, call: LiveCall, input: ParsedClientPayload<'call:transfer'>, line: TransferLine, target: UserIdentity): Promise<ClientAckResult<'call:transfer'>> {
    const { transferId, parties, moved } = await this.lineMoves.transfer(actor, call, input.mode, line, target);
    if (!moved) {
      await this.resolve(transferId, ['ringing'], { state: 'failed', endReason: 'failed' });
      throw new ProtocolError('CALL_NOT_FOUND', 'The call ended meanwhile');
    }
    return { transfer: await this.viewOf(transferId, parties) };
  }

  /** A failed blind transfer of a line call (design D14): the customer returns to the front of its line. False: not a line call (recall instead). */
  private async backToLine(row: TransferRow, endReason: TransferEndReason): Promise<boolean> {
    return this.lineMoves.backToFront(row, endReason, await this.partiesOf(row));
  }

  async swap(actor: Actor, input: ParsedClientPayload<'transfer:swap'>): Promise<ClientAckResult<'transfer:swap'>> {
    const row = await this.ownOpen(actor, input.transferId);
    if (row.state !== 'consulting') throw new ProtocolError('INVALID_STATE', 'Swap needs an answered consult');
    const liveLeg = row.liveLeg === 'leg' ? 'original' : 'leg';
    if (!(await this.repo.cas(row.id, ['consulting'], { liveLeg }, { at: this.now(), version: row.version }))) throw new ProtocolError('INVALID_STATE', 'The transfer changed meanwhile; try again');
    await this.applyHolds(row, liveLeg);
    return { transfer: await this.announce(row.id) };
  }

  async merge(actor: Actor, input: ParsedClientPayload<'transfer:merge'>): Promise<ClientAckResult<'transfer:merge'>> {
    const row = await this.ownOpen(actor, input.transferId);
    const [from, to]: [TransferState, TransferState] = input.merged ? ['consulting', 'merged'] : ['merged', 'consulting'];
    const liveLeg = input.merged ? 'both' : 'original';
    if (row.state !== from || !(await this.repo.cas(row.id, [from], { state: to, liveLeg }, { at: this.now(), version: row.version }))) {
      throw new ProtocolError('INVALID_STATE', input.merged ? 'Merge needs an answered consult' : 'The call is not merged');
    }
    await this.applyHolds(row, liveLeg);
    await this.tellConference(row, input.merged);
    return { transfer: await this.announce(row.id) };
  }

  async complete(actor: Actor, input: ParsedClientPayload<'transfer:complete'>): Promise<ClientAckResult<'transfer:complete'>> {
    const row = await this.ownOpen(actor, input.transferId);
    if (row.state === 'ringing') {
      // "Transfer now": complete as soon as the target answers.
      if (!(await this.repo.cas(row.id, ['ringing'], { autoComplete: true }, { at: this.now() }))) return this.complete(actor, input);
      return { transfer: await this.announce(row.id) };
    }
    refuseOutdatedExpert(this.versions, await this.legOf(row));
    const done = await completeTransfer(this.ctx, this.repo, row, await this.partiesOf(row), 'transferor', this.calls);
    if (!done) throw new ProtocolError('CALL_NOT_FOUND', 'A leg of the transfer ended meanwhile');
    return { transfer: await this.viewOf(row.id) };
  }

  async cancel(actor: Actor, input: ParsedClientPayload<'transfer:cancel'>): Promise<ClientAckResult<'transfer:cancel'>> {
    const row = await this.ownOpen(actor, input.transferId);
    if (!(await this.repo.cas(row.id, OPEN_STATES, { state: 'cancelled', endReason: 'cancelled' }, { at: this.now() }))) {
      throw new ProtocolError('INVALID_STATE', 'The transfer is over');
    }
    this.ctx.logger.info({ event: 'transfer-cancelled', transferId: row.id }, 'transfer cancelled');
    await this.endLeg(row, actor.user.userId);
    await this.backToCustomer(row, row.state === 'merged');
    return { transfer: await this.announce(row.id) };
  }

  /**
   * Inside the leg's answer transaction: ringing -> consulting. False (the answer rolls back) when the transfer was
   * cancelled or failed first. A leg whose customer left goes on as a plain call: its answer stands.
   */
  async legAnswerTx(call: LiveCall, trx: Tx): Promise<boolean> {
    const row = await this.repo.ofLeg(call.callId, trx);
    if (!row || row.endReason === 'customer-left') return true;
    return this.repo.cas(row.id, ['ringing'], { state: 'consulting' }, { trx, at: this.now() });
  }

  /** After the leg's answer committed: blind (auto-complete) transfers complete now; a consult is told. */
  async legAnswered(call: LiveCall): Promise<void> {
    const row = await this.repo.openOfCall(call.callId);
    if (!row) return;
    // An expert on an old app cannot be handed the call: "transfer now" stays a consult the agent is in.
    if (row.autoComplete && legCompletable(this.versions, call)) {
      await completeTransfer(this.ctx, this.repo, row, await this.partiesOf(row), row.kind === 'blind' ? 'transferor' : 'system', this.calls);
      return;
    }
    await this.announce(row.id);
  }

  /**
   * A call of a transfer ended (after its end committed; every change below is a compare-and-set, so a
   * completion or cancel that got there first makes it a no-op): the leg unanswered → failed/cancelled and the
   * customer is back; the target left → cancelled; the customer left → cancelled, the leg goes on as a plain call.
   */
  async callEnded(call: Readonly<LiveCall>, endReason: string): Promise<void> {
    if (endReason === 'transferred') return;
    // One process owns every call (single profile): a call no transfer was started on has none to resolve.
    if (!call.mayHaveTransfer && this.ctx.settings.soleWriter) return;
    const row = await this.repo.openOfCall(call.callId);
    if (!row) return;
    if (row.originalCallId === call.callId) {
      if (!(await this.resolve(row.id, OPEN_STATES, { state: 'cancelled', endReason: 'customer-left' }))) return;
      if (row.state === 'merged') await this.tellConference(row, false);
      // Nobody is left to connect a blind leg to: it stops ringing. An answered consult goes on as a plain call.
      if (row.state === 'ringing' && row.autoComplete) await this.endLeg(row, null);
      else if (row.state !== 'ringing') await this.setHoldById(row.legCallId, row.transferorId, false);
      return;
    }
    const wasAnswered = row.state !== 'ringing';
    if (!wasAnswered && row.autoComplete && (await this.backToLine(row, LEG_END_REASON[endReason] ?? 'failed'))) return;
    const change: TransferChange = wasAnswered
      ? { state: 'cancelled', endReason: 'target-left' }
      : { state: row.autoComplete ? 'failed' : 'cancelled', endReason: LEG_END_REASON[endReason] ?? 'failed' };
    if (!(await this.resolve(row.id, wasAnswered ? ['consulting', 'merged'] : ['ringing'], change))) return;
    await this.backToCustomer(row, row.state === 'merged');
  }

  /**
   * The transferor's device did not come back within the grace (design D15): an answered consult completes (the
   * customer is not lost), a ringing one becomes blind. Returns true when the transfer took care of the call.
   */
  async transferorLost(call: LiveCall, userId: string, deviceId: string): Promise<boolean> {
    const row = await this.repo.openOfCall(call.callId);
    if (!row || row.transferorId !== userId || row.transferorDevice !== deviceId) return false;
    if (row.state === 'ringing') {
      if (await this.repo.cas(row.id, ['ringing'], { autoComplete: true }, { at: this.now() })) {
        this.ctx.logger.info({ event: 'transfer-now-blind', transferId: row.id }, 'the transferor was lost: the ringing consult completes on answer');
      }
      // The leg rings on (its ring timer ends it). The held customer waits for it: the original's grace is
      // looked at again just after the leg's ring deadline (by then the transfer completed, or failed and the
      // original ends connection-lost as any call of a lost device).
      const leg = row.legCallId ? await this.calls.get(row.legCallId) : undefined;
      if (call.callId === row.originalCallId && leg) {
        await this.ctx.timers.schedule(GRACE_TIMER, graceTimerId(call.callId, deviceKey(userId, deviceId)), leg.ringUntil + RECHECK_AFTER_RING_MS);
      }
      return call.callId === row.legCallId || leg !== undefined;
    }
    // An expert on an old app cannot take the call over: the calls end as any call of a lost device.
    if (!legCompletable(this.versions, await this.legOf(row))) return false;
    return completeTransfer(this.ctx, this.repo, row, await this.partiesOf(row), 'system', this.calls);
  }

  /** Open transfers of a device, sent as transfer:updated after it (re)connects (its consult panel comes back). */
  async openViewsOf(actor: Actor): Promise<TransferView[]> {
    const rows = await this.repo.openOfTransferor(actor.user.userId, actor.deviceId);
    return Promise.all(rows.map(async (row) => transferView(row, await this.partiesOf(row))));
  }

  // -------------------------------------------------------------------------------------------

  private async ownOpen(actor: Actor, transferId: string): Promise<TransferRow> {
    const row = await this.repo.find(transferId);
    if (!row || row.transferorId !== actor.user.userId || row.transferorDevice !== actor.deviceId) throw notFound();
    if (!(OPEN_STATES as readonly string[]).includes(row.state)) throw new ProtocolError('INVALID_STATE', 'The transfer is over');
    return row;
  }

  private async legOf(row: TransferRow): Promise<LiveCall | undefined> {
    return row.legCallId ? this.calls.current(row.legCallId) : undefined;
  }

  private async resolve(id: string, from: readonly TransferState[], change: TransferChange): Promise<boolean> {
    const won = await this.repo.cas(id, from, change, { at: this.now() });
    if (won) {
      this.ctx.logger.info({ event: 'transfer-ended', transferId: id, state: change.state, reason: change.endReason }, 'transfer ended');
      await this.announce(id);
    }
    return won;
  }

  /** The leg ends from whatever state it is in now (ringing: cancelled; answered: hung up by the transferor). */
  private async endLeg(row: TransferRow, by: string | null): Promise<void> {
    if (!row.legCallId) return;
    await this.callService.endCall(row.legCallId, by, 'cancelled');
  }

  /** The customer is taken off hold (server-driven); after a merge the conference is over. */
  private async backToCustomer(row: TransferRow, wasMerged: boolean): Promise<void> {
    await this.setHoldById(row.originalCallId, row.transferorId, false);
    if (wasMerged) await this.tellConference(row, false);
  }

  /** Exactly one leg live (or both, merged): holds the other side of each of the transferor's legs. */
  private async applyHolds(row: TransferRow, liveLeg: TransferRow['liveLeg']): Promise<void> {
    await this.setHoldById(row.originalCallId, row.transferorId, liveLeg === 'leg');
    await this.setHoldById(row.legCallId, row.transferorId, liveLeg === 'original');
  }

  private async setHoldById(callId: string | null, by: string, held: boolean): Promise<void> {
    const call = callId ? await this.calls.current(callId) : undefined;
    if (call?.status === 'active') this.setHold(call, by, held);
  }

  /**
   * Records the transferor's hold on a call and tells the other end (the customer hears its hold tone). Always
   * told, also when this node's copy already says so: a copy loaded from storage after the transfer's change
   * carries the new hold already (calls-repo.ts transferStateOf), and a repeated notice is harmless.
   */
  private setHold(call: LiveCall, by: string, held: boolean): void {
    if (held) call.heldBy.add(by);
    else call.heldBy.delete(by);
    const other = otherEnd(call, by);
    this.ctx.delivery.toDevice(other.user.userId, other.deviceId, 'call:hold', { callId: call.callId, held, by });
  }

  private async tellConference(row: TransferRow, active: boolean): Promise<void> {
    const parties = await this.partiesOf(row);
    const conference = conferenceView(parties, active);
    for (const callId of [row.originalCallId, row.legCallId]) {
      const call = callId ? await this.calls.current(callId) : undefined;
      if (!call || call.status !== 'active') continue;
      call.conference = active ? conference : null;
      for (const end of [
        { userId: call.caller.userId, deviceId: call.callerDeviceId },
        { userId: call.callee.userId, deviceId: call.answeredDeviceId ?? '' },
      ]) {
        // The transferor hears it once, on its original call.
        if (end.userId === row.transferorId && call.callId !== row.originalCallId) continue;
        this.ctx.delivery.toDevice(end.userId, end.deviceId, 'call:conference', { callId: call.callId, conference });
      }
    }
  }

  private async partiesOf(row: TransferRow): Promise<TransferParties> {
    const [transferor, customer, target] = await Promise.all([row.transferorId, row.customerId, row.targetId].map((id) => this.identity(id)));
    return { transferor: transferor!, customer: customer!, target: target! };
  }

  private async identity(userId: string): Promise<UserIdentity> {
    const user = await this.users.findById(userId);
    if (!user) throw new ProtocolError('INTERNAL', 'A party of the transfer is gone');
    return user;
  }

  private async viewOf(id: string, parties?: TransferParties): Promise<TransferView> {
    const row = await this.repo.find(id);
    if (!row) throw notFound();
    return transferView(row, parties ?? (await this.partiesOf(row)));
  }

  /** The current view, also sent to the transferor's device as transfer:updated. */
  private async announce(id: string): Promise<TransferView> {
    const view = await this.viewOf(id);
    const row = (await this.repo.find(id))!;
    this.ctx.delivery.toDevice(row.transferorId, row.transferorDevice, 'transfer:updated', view);
    return view;
  }
}
