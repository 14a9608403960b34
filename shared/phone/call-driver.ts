import type { ClientEventName } from '../protocol';
import { isLegal, toView, transition } from '../call/model';
import { idleCall } from '../call/model';
import type { CallEffect, CallEventInput, CallState, OutgoingMessage, Transition } from '../call/types';
import type { CallView, PhoneEvents } from './api';
import type { Emitter } from './emitter';
import { DEFERRED_EVENTS, Outbox } from './outbox';
import type { Clock, Logger, Notifier } from './ports';
import { request } from './wire';
import type { RequestResult } from './wire';
import type { Transport } from './transport';

export interface CallDriverDeps {
  transport: Transport;
  clock: Clock;
  notifier: Notifier;
  logger: Logger;
  events: Emitter<PhoneEvents>;
  ackTimeoutMs: number;
  /** The session is registered (session:ready seen and not lost since). */
  isOnline: () => boolean;
  /** A server time (ISO) on this device's clock (corrected by the offset measured at session:ready). */
  toLocal: (serverTime: string) => number;
  /** Called after every transition that changed a call. */
  onChange: () => void;
}

export interface Dispatched {
  transition: Transition;
  /** The acknowledgements of the messages this transition sent (after their feedback was applied). */
  settled: Promise<Array<RequestResult<ClientEventName>>>;
}

const REMEMBER_ENDED = 200;
const MAX_EARLY_EVENTS = 100;
/** Phases in which this device is "in a call" for the ring policy (call waiting / busy). */
const IN_CALL_PHASES: ReadonlySet<string> = new Set(['inviting', 'calling', 'ringback', 'accepting', 'active']);

/**
 * The thin driver: holds the live calls, runs every event through the pure model and executes the
 * effects it returns (send, ring surfaces, PhoneCore events). It decides nothing itself.
 */
export class CallDriver {
  private readonly calls = new Map<string, CallState>();
  private readonly ended = new Map<string, CallView>();
  private early: Array<{ callId: string; event: CallEventInput }> = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly outbox = new Outbox();
  /** Local ring timers, per call: they end a ringing call at its ringUntil even when the server cannot. */
  private readonly ringTimers = new Map<string, unknown>();
  /** Inside a batch: changes are told once, at its end (see replace). */
  private quiet = 0;

  constructor(private readonly d: CallDriverDeps) {}

  list(): CallState[] {
    return [...this.calls.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  view(callId: string): CallView | undefined {
    const state = this.calls.get(callId);
    return state ? toView(state) : this.ended.get(callId);
  }

  /** Sends the in-call messages held while offline, oldest first (after a reconnect's reconcile). */
  flushOutbox(): void {
    this.outbox.flush(
      (callId) => this.calls.get(callId)?.phase === 'active',
      (callId, message) => this.send(message, callId),
    );
  }

  /** Resolves when every message sent so far has its acknowledgement (or failed). */
  settle(): Promise<void> {
    return Promise.all([...this.inFlight]).then(() => undefined);
  }

  wasEnded(callId: string): boolean {
    return this.ended.has(callId);
  }

  inAnotherCall(): boolean {
    return this.list().some((c) => IN_CALL_PHASES.has(c.phase));
  }

  /** An event from the server about `callId`. Held back briefly if it may belong to an invite not acknowledged yet. */
  fromServer(callId: string, event: CallEventInput): void {
    if (this.calls.has(callId)) {
      this.dispatch(callId, event);
    } else if (!this.ended.has(callId) && this.list().some((c) => c.phase === 'inviting') && this.early.length < MAX_EARLY_EVENTS) {
      this.early.push({ callId, event });
    } else {
      this.d.logger.info(`ignored: '${event.type}' for a call this device does not have`, { callId });
    }
  }

  dispatch(id: string, input: CallEventInput): Dispatched {
    const before = this.calls.get(id) ?? idleCall(id);
    const event = { ...input, at: new Date(this.d.clock.now()).toISOString() };
    const result = transition(before, event);
    const after = result.state;
    if (after !== before) this.store(before, after);
    const settled = this.execute(after, result.effects);
    if (after !== before && this.quiet === 0) this.d.onChange();
    if (before.id !== after.id) this.flushEarly(after.id);
    return { transition: result, settled };
  }

  /**
   * A call replaced by another (call:replaced after a completed transfer, `start` transferred-in; call:queued when
   * the answered call was moved into a line's queue, `start` queued-in): the new call starts first, then the old one
   * ends, and the change is told once, so no snapshot shows this device with neither call (no flash of "call ended").
   */
  replace(oldCallId: string, start: CallEventInput & { type: 'transferred-in' | 'queued-in' }): void {
    const newCallId = start.type === 'transferred-in' ? start.call.callId : start.queued.callId;
    this.quiet += 1;
    try {
      if (!this.calls.has(newCallId) && !this.ended.has(newCallId)) this.dispatch(newCallId, start);
      if (this.calls.has(oldCallId)) this.dispatch(oldCallId, { type: 'replaced', newCallId });
    } finally {
      this.quiet -= 1;
    }
    this.d.onChange();
  }

  private store(before: CallState, after: CallState): void {
    this.calls.delete(before.id);
    if (after.phase !== 'ended') {
      this.calls.set(after.id, after);
      return;
    }
    this.outbox.drop(after.id);
    this.disarmRingTimer(after.id);
    this.ended.set(after.id, toView(after));
    if (this.ended.size > REMEMBER_ENDED) this.ended.delete(this.ended.keys().next().value as string);
    if (!this.list().some((c) => c.phase === 'inviting')) this.dropEarly();
  }

  private flushEarly(callId: string): void {
    const mine = this.early.filter((e) => e.callId === callId);
    this.early = this.early.filter((e) => e.callId !== callId);
    for (const e of mine) this.dispatch(callId, e.event);
    if (!this.list().some((c) => c.phase === 'inviting')) this.dropEarly();
  }

  private dropEarly(): void {
    for (const e of this.early) this.d.logger.info(`ignored: '${e.event.type}' for a call this device does not have`, { callId: e.callId });
    this.early = [];
  }

  private execute(state: CallState, effects: CallEffect[]): Dispatched['settled'] {
    const sends: Array<Promise<RequestResult<ClientEventName>>> = [];
    const { events, notifier, logger } = this.d;
    for (const effect of effects) {
      switch (effect.type) {
        case 'send': {
          const sent = this.deferrable(state.id, effect.message) ? this.outbox.hold(state.id, effect.message) : this.send(effect.message, state.id);
          this.inFlight.add(sent);
          void sent.finally(() => this.inFlight.delete(sent));
          sends.push(sent);
          break;
        }
        case 'start-ringing': {
          const view = toView(state);
          notifier.startRinging(view, { silent: effect.silent, waiting: effect.waiting });
          events.emit('incoming', view);
          break;
        }
        case 'stop-ringing':
          notifier.stopRinging(state.id, effect.reason);
          events.emit('ring-stopped', state.id, effect.reason);
          break;
        case 'ringback':
          events.emit('ringback', state.id);
          break;
        case 'ring-deadline':
          this.armRingTimer(state.id, effect.at);
          break;
        case 'answered':
          events.emit('answered', toView(state), effect.initiator, effect.restart);
          break;
        case 'deliver-signal':
          events.emit('signal', state.id, effect.data);
          break;
        case 'ended':
          events.emit('ended', toView(state));
          break;
        case 'log':
          logger[effect.level](effect.message, { callId: state.id });
          break;
      }
    }
    return Promise.all(sends);
  }

  /** An in-call relay made while offline (or queued behind one): held, so it is not lost. */
  private deferrable(callId: string, message: OutgoingMessage): boolean {
    return DEFERRED_EVENTS.has(message.event) && (!this.d.isOnline() || this.outbox.has(callId));
  }

  /** At the deadline, a call still ringing (incoming, calling, ringback) ends no-answer here; any other phase ignores it. */
  private armRingTimer(callId: string, ringUntil: string): void {
    this.disarmRingTimer(callId);
    const delay = Math.max(0, this.d.toLocal(ringUntil) - this.d.clock.now());
    const timer = this.d.clock.setTimeout(() => {
      this.ringTimers.delete(callId);
      const call = this.calls.get(callId);
      if (call && isLegal(call, 'ring-timeout')) this.dispatch(callId, { type: 'ring-timeout' });
    }, delay);
    this.ringTimers.set(callId, timer);
  }

  private disarmRingTimer(callId: string): void {
    if (this.ringTimers.has(callId)) this.d.clock.clearTimeout(this.ringTimers.get(callId));
    this.ringTimers.delete(callId);
  }

  /** Sends one message; the acknowledgements of invite and accept are fed back into the model. */
  private async send(message: OutgoingMessage, callKey: string): Promise<RequestResult<ClientEventName>> {
    const result = (await request(this.d.transport, message.event, message.payload as never, this.d.ackTimeoutMs)) as RequestResult<ClientEventName>;
    if (message.event === 'call:invite') {
      const ack = result as RequestResult<'call:invite'>;
      this.dispatch(
        callKey,
        ack.ok
          ? {
              type: 'invite-acked',
              callId: ack.value.callId,
              status: ack.value.status,
              callee: ack.value.callee,
              ringUntil: ack.value.ringUntil,
              ...(ack.value.line && ack.value.queue ? { line: ack.value.line, queue: ack.value.queue } : {}),
            }
          : { type: 'invite-failed', error: ack.error },
      );
    } else if (message.event === 'call:accept') {
      const ack = result as RequestResult<'call:accept'>;
      // A blind transfer completes inside its target's accept: the leg was replaced before this acknowledgement.
      if (!this.calls.has(callKey)) return result;
      this.dispatch(callKey, ack.ok ? { type: 'accept-acked', peerConnected: ack.value.peerConnected } : { type: 'accept-failed', error: ack.error });
    } else if (!result.ok) {
      this.d.logger.warn(`${message.event} failed: ${result.error.code} ${result.error.message}`, { callId: callKey });
    }
    return result;
  }
}
