import { EndReason } from '../../../shared/protocol';
import type { PushCancel, PushInvite, PushPayload } from '../../../shared/protocol/push';
import type { CallHooks, RingingStop } from '../calls/call-hooks';
import type { LiveCall } from '../calls/live-call';
import type { Logger } from '../logger';
import type { DurableTimers } from '../timers/durable-timers';
import { CANCEL_CALL_TIMER, CANCEL_RETRY_TIMER, callCancelTimerId, cancelRetryTimerId, parseCallCancelTimerId, parseCancelRetryTimerId, type OwedCancel } from './cancel-retry-timer';
import { callPushes, owedCallCancel, type CallPushes, type PushedDevice } from './call-pushes';
import type { PushDeviceStore, StoredPushDevice } from './push-device-store';
import type { PushProviders } from './push-providers';
import type { PushOutcome, SendOptions } from './push-provider';
import { backoffDelay } from './retry-within-deadline';

/** A cancel armed before the commit that stops a call ringing is due this much later (the commit's node sends it sooner). */
export const CANCEL_BACKSTOP_MS = 2_000;

export interface PushCallNotifierOptions {
  store: PushDeviceStore;
  providers: PushProviders;
  logger: Logger;
  /** How long cancel pushes keep retrying. */
  cancelWindowMs: number;
  /** A single provider request's cap: a cancel attempt's retry is pre-armed for after it. */
  requestTimeoutMs: number;
  /** First retry delay of a cancel push (doubling, capped at 8x, jittered); Retry-After wins when longer. */
  retryBaseDelayMs: number;
  /** Where a cancel push's retries wait: a durable timer kind, so another node sends them when this one dies. */
  timers: DurableTimers;
  /** True while the call still rings (a retried cancel is owed only for a call that stopped ringing). */
  isCallRinging(callId: string): Promise<boolean>;
  /**
   * True when other nodes share the calls (cluster profile): a call may stop ringing on a node that did not push
   * its invite, and that node then finds the pushed phones among the call's stored devices.
   */
  sharedCalls?: boolean;
  now?: () => number;
}

/**
 * The call service's push hooks: invite pushes to the callee's phones that are not on a socket,
 * cancel pushes when the call stops ringing, the invite->acknowledgement latency in the call
 * record, and removal of tokens the providers call dead. Nothing here is awaited by call
 * routing: every push runs on its own, so a slow provider delays only its own pushes.
 */
export class PushCallNotifier implements CallHooks {
  private readonly calls = new Map<string, CallPushes>();
  /** Per call whose ringing is stopping: the id of its backstop cancel timer, armed before the commit (beforeRingingStops). */
  private readonly backstops = new Map<string, string>();
  private readonly now: () => number;

  constructor(private readonly options: PushCallNotifierOptions) {
    this.now = options.now ?? Date.now;
    options.timers.handle(CANCEL_RETRY_TIMER, (timerId) => this.retryCancel(timerId));
    options.timers.handle(CANCEL_CALL_TIMER, (timerId) => this.cancelPushedElsewhere(timerId));
  }

  async onInvite(call: Readonly<LiveCall>, onlineDeviceIds: readonly string[]): Promise<readonly string[]> {
    // No push service configured: no device can be pushed, so the callee's registered devices are not read (every invite asked).
    if (!Object.values(this.options.providers).some(Boolean)) return [];
    const online = new Set(onlineDeviceIds);
    const targets = (await this.options.store.listForUser(call.callee.userId)).filter((device) => !online.has(device.deviceId) && this.options.providers[device.platform]);
    if (targets.length === 0) return [];

    const pushes = callPushes(call, targets, 'pending');
    this.calls.set(call.callId, pushes);
    // The devices were read after call:incoming went out: a desktop may have answered meanwhile, here (its cancel
    // found these pushes and called them off) or on another node (only the stored call knows). Then no invite goes out.
    if (!(await this.stillRinging(call.callId, pushes))) {
      if (this.calls.get(call.callId) === pushes) this.calls.delete(call.callId);
      return [];
    }
    this.forgetAfterRinging(pushes, call.ringUntil);
    const invite: PushInvite = {
      type: 'invite',
      callId: call.callId,
      caller: call.caller,
      media: call.media,
      serverTime: new Date(this.now()).toISOString(),
      ringUntil: new Date(call.ringUntil).toISOString(),
    };
    for (const pushed of pushes.devices.values()) {
      this.dispatch(pushes, pushed, invite, { deadline: call.ringUntil, signal: pushes.invites.signal, stillWanted: () => this.stillRinging(call.callId, pushes) });
    }
    return targets.map((device) => device.deviceId);
  }

  /**
   * Whether an invite push may still go out, asked before the first attempt and each retry: not once this node
   * called the pushes off, nor once the call stopped ringing anywhere (answered or ended on another node, which
   * this node's cancel never hears of). When storage cannot say, the invite goes on (the call most likely rings).
   */
  private async stillRinging(callId: string, pushes: CallPushes): Promise<boolean> {
    if (pushes.invites.signal.aborted) return false;
    const ringing = await this.options.isCallRinging(callId).catch(() => true);
    return ringing && !pushes.invites.signal.aborted;
  }

  /**
   * Before the commit that stops the call ringing: the cancel the phones are owed is armed as a `push-cancel-call`
   * timer due CANCEL_BACKSTOP_MS later, so a node that dies right after the commit (before it sent the cancels or
   * armed their retries) leaves them to another node. Once the commit is in, this node sends them (or re-arms the
   * timer due now) and the backstop goes; when the commit does not happen, it is disarmed. Its handler re-checks the
   * stored call: it sends nothing while the call rings (a commit not landed yet: tried again; a failed one: moot).
   */
  async beforeRingingStops(call: Readonly<LiveCall>, stop: RingingStop): Promise<void> {
    // Its window runs from when it is due: one whose node died never has less than the window after the commit.
    const until = this.now() + CANCEL_BACKSTOP_MS + this.options.cancelWindowMs;
    const owed = owedCallCancel(call, this.calls.get(call.callId), this.options.sharedCalls, { reason: stop.reason, answeredDeviceId: stop.answeredDeviceId, until });
    if (!owed) return;
    const timerId = callCancelTimerId(owed);
    this.backstops.set(call.callId, timerId);
    await this.options.timers.schedule(CANCEL_CALL_TIMER, timerId, this.now() + CANCEL_BACKSTOP_MS);
  }

  onRingingStopUndone(call: Readonly<LiveCall>): void {
    const timerId = this.takeBackstop(call.callId);
    if (timerId) this.options.timers.cancel(CANCEL_CALL_TIMER, timerId);
  }

  onCallAnswered(call: Readonly<LiveCall>): void {
    this.cancel(call, 'answered-elsewhere');
  }

  onCallEnded(call: Readonly<LiveCall>, end: { outcome: string; endReason: string }): void {
    const reason = EndReason.safeParse(end.endReason);
    this.cancel(call, reason.success ? reason.data : 'failed');
  }

  /** Calls whose pushes are still tracked (for shutdown and tests). */
  get trackedCalls(): number {
    return this.calls.size;
  }

  /** Stops every invite push still being retried (server shutdown). */
  close(): void {
    for (const pushes of this.calls.values()) pushes.invites.abort();
    this.calls.clear();
  }

  /**
   * Cluster: a call answered or ended on another node never reaches this node's cancel(), which would forget
   * it; its pushes are forgotten once it can no longer ring (its invite retries stop at the same deadline).
   */
  private forgetAfterRinging(pushes: CallPushes, ringUntil: number): void {
    if (!this.options.sharedCalls) return;
    setTimeout(() => {
      if (this.calls.get(pushes.callId) !== pushes) return;
      this.calls.delete(pushes.callId);
      pushes.invites.abort();
    }, Math.max(0, ringUntil - this.now()) + this.options.cancelWindowMs).unref();
  }

  /** Once per call: the phones it was pushed to stop ringing, except the one that answered. */
  private cancel(call: Readonly<LiveCall>, reason: EndReason): void {
    const backstop = this.takeBackstop(call.callId);
    const pushes = this.calls.get(call.callId);
    if (!pushes) {
      if (this.options.sharedCalls) this.armCancelPushedElsewhere(call, reason, backstop);
      return;
    }
    this.calls.delete(call.callId);
    pushes.invites.abort();
    // The backstop goes once every phone's first attempt has its retry armed (the node may die during the attempts).
    void this.sendCancels(pushes, call.answeredDeviceId, reason, this.now() + this.options.cancelWindowMs).then(() => backstop && this.options.timers.cancel(CANCEL_CALL_TIMER, backstop));
  }

  /**
   * Shared calls: the invite was pushed by another node (or by none). The cancel is a durable timer due now, armed at
   * once (nothing awaited first): the backstop armed before the commit, brought forward, else a new one.
   */
  private armCancelPushedElsewhere(call: Readonly<LiveCall>, reason: EndReason, backstop: string | undefined): void {
    const owed = owedCallCancel(call, undefined, this.options.sharedCalls, { reason, answeredDeviceId: call.answeredDeviceId, until: this.now() + this.options.cancelWindowMs });
    const timerId = backstop ?? (owed && callCancelTimerId(owed));
    if (timerId) void this.options.timers.schedule(CANCEL_CALL_TIMER, timerId, this.now());
  }

  private takeBackstop(callId: string): string | undefined {
    const timerId = this.backstops.get(callId);
    this.backstops.delete(callId);
    return timerId;
  }

  /**
   * The phones the call rang are the callee's push devices among the call's devices (a pushed phone is stored with
   * the call); a cancel to a phone that was rung over its socket instead is harmless (the app drops a cancel for a
   * call it does not ring).
   */
  private async cancelPushedElsewhere(timerId: string): Promise<void> {
    const owed = parseCallCancelTimerId(timerId);
    if (!owed || this.now() >= owed.until) return;
    // A backstop armed before a commit that has not landed (or failed: then the retries run out, and whoever ends the
    // call later arms its own cancel). Never a cancel for a ringing call.
    if (await this.options.isCallRinging(owed.callId)) throw new Error(`call ${owed.callId} still rings: its cancel waits for the end to be committed`);
    const devices = (await this.options.store.listForUser(owed.userId)).filter((device) => owed.deviceIds.includes(device.deviceId));
    if (devices.length === 0) return;
    // Done once each phone's retry is armed: a node that dies before that leaves this timer to run again elsewhere.
    await this.sendCancels(callPushes({ ...owed, startedAt: 0 }, devices, 'delivered'), null, owed.reason, owed.until);
  }

  /** Sends each phone its first cancel attempt; resolves once every attempt's retry is armed (or none is owed). */
  private sendCancels(pushes: CallPushes, answeredDeviceId: string | null, reason: EndReason, until: number): Promise<void> {
    const retriesArmed: Promise<void>[] = [];
    for (const pushed of pushes.devices.values()) {
      if (pushed.device.deviceId === answeredDeviceId || pushed.invite === 'failed') continue;
      const owed: OwedCancel = { callId: pushes.callId, userId: pushed.device.userId, deviceId: pushed.device.deviceId, attempt: 1, until, reason, caller: pushes.caller, media: pushes.media };
      retriesArmed.push(
        new Promise<void>((retryArmed) => {
          this.sendCancel(owed, pushed.device, retryArmed)
            .catch((error: unknown) => this.options.logger.error({ err: error, callId: pushes.callId, deviceId: pushed.device.deviceId }, 'push: cancel failed unexpectedly'))
            .finally(retryArmed);
        }),
      );
    }
    return Promise.all(retriesArmed).then(() => undefined);
  }

  /**
   * A cancel push's later attempt, on whichever node runs its timer. It re-checks that the cancel is still owed:
   * the window is open, the call does not ring (a cancel is never sent for a ringing call), and the phone is
   * still registered (a dead token removed meanwhile is owed nothing). A duplicate run sends one more cancel,
   * which the app drops for a call it does not ring.
   */
  private async retryCancel(timerId: string): Promise<void> {
    const owed = parseCancelRetryTimerId(timerId);
    if (!owed || this.now() >= owed.until) return;
    if (await this.options.isCallRinging(owed.callId)) return;
    const device = (await this.options.store.listForUser(owed.userId)).find((candidate) => candidate.deviceId === owed.deviceId);
    if (device) await this.sendCancel(owed, device);
  }

  /**
   * One attempt. Its retry is armed as a durable timer before it starts (due once the attempt has surely timed out,
   * or halfway to the window's end when that comes first), so a node that dies during the attempt leaves the retry to
   * another node; a retryable failure moves the retry to
   * its backoff (or Retry-After when longer), any other outcome disarms it.
   */
  private async sendCancel(owed: OwedCancel, device: StoredPushDevice, retryArmed: () => void = () => undefined): Promise<void> {
    const provider = this.options.providers[device.platform];
    if (!provider) return;
    const cancel: PushCancel = { type: 'cancel', callId: owed.callId, caller: owed.caller, media: owed.media, serverTime: new Date(this.now()).toISOString(), reason: owed.reason };
    const retryId = cancelRetryTimerId({ ...owed, attempt: owed.attempt + 1 });
    const backoff = backoffDelay(this.options.retryBaseDelayMs, owed.attempt);
    // Due once this attempt has surely timed out or, when the request timeout reaches past the window, halfway to the
    // window's end (a duplicate cancel, should this attempt still be running then, is dropped by the app); none once
    // what would be left of the window after it is shorter than the backoff.
    const guardAt = Math.min(this.now() + this.options.requestTimeoutMs + backoff, this.now() + (owed.until - this.now()) / 2);
    const armed = owed.until - guardAt >= backoff;
    if (armed) await this.options.timers.schedule(CANCEL_RETRY_TIMER, retryId, guardAt);
    retryArmed();

    const outcome = await provider.send(device, cancel, { deadline: owed.until, maxAttempts: 1 });
    const dueAt = this.now() + Math.max(backoff, outcome.status === 'gave-up' ? (outcome.retryAfterMs ?? 0) : 0);
    if (outcome.status === 'gave-up' && dueAt < owed.until) {
      await this.options.timers.schedule(CANCEL_RETRY_TIMER, retryId, dueAt);
      const fields = { event: 'push-cancel-retry', callId: owed.callId, deviceId: device.deviceId, attempt: owed.attempt + 1, dueAt, reason: outcome.reason };
      return this.options.logger.warn(fields, 'push: cancel not delivered, retry armed');
    }
    if (armed) this.options.timers.cancel(CANCEL_RETRY_TIMER, retryId);
    this.settle({ callId: owed.callId, startedAt: 0 }, device, cancel, { ...outcome, attempts: owed.attempt });
  }

  private dispatch(pushes: CallPushes, pushed: PushedDevice, payload: PushPayload, options: SendOptions): void {
    const provider = this.options.providers[pushed.device.platform];
    if (!provider) return;
    provider.send(pushed.device, payload, options).then(
      (outcome) => {
        if (payload.type === 'invite') pushed.invite = outcome.status === 'delivered' ? 'delivered' : outcome.status === 'gave-up' ? pushed.invite : 'failed';
        this.settle(pushes, pushed.device, payload, outcome);
      },
      (error: unknown) => this.options.logger.error({ err: error, callId: pushes.callId, deviceId: pushed.device.deviceId }, 'push: send failed unexpectedly'),
    );
  }

  private settle(pushes: Pick<CallPushes, 'callId' | 'startedAt'>, device: StoredPushDevice, payload: PushPayload, outcome: PushOutcome): void {
    const latencyMs = payload.type === 'invite' && outcome.status === 'delivered' ? outcome.ackAt - pushes.startedAt : null;
    if (latencyMs !== null) this.storeQuietly(this.options.store.recordPushLatency(pushes.callId, latencyMs), pushes.callId, 'push latency');

    const fields = {
      event: 'push',
      kind: payload.type,
      callId: pushes.callId,
      userId: device.userId,
      deviceId: device.deviceId,
      platform: device.platform,
      status: outcome.status,
      attempts: outcome.attempts,
      ...(latencyMs !== null ? { latencyMs } : {}),
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
    };
    if (outcome.status === 'delivered') this.options.logger.info(fields, `push: ${payload.type} delivered`);
    else this.options.logger.warn(fields, `push: ${payload.type} not delivered`);

    if (outcome.status === 'dead-token') {
      const removal = this.options.store.removeDeadToken(device.platform, device.token).then((removed) =>
        this.options.logger.warn(
          { event: 'push-token-removed', userId: device.userId, deviceId: device.deviceId, platform: device.platform, reason: outcome.reason, removed: Boolean(removed) },
          'push: dead token removed',
        ),
      );
      this.storeQuietly(removal, pushes.callId, 'dead token removal');
    }
  }

  /** Bookkeeping writes run on their own: a storage failure is logged, never thrown into a push. */
  private storeQuietly(write: Promise<unknown>, callId: string, what: string): void {
    write.catch((error: unknown) => this.options.logger.warn({ err: error, callId, what }, 'push: could not store'));
  }
}
