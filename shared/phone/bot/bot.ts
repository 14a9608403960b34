import type { CallView, PhoneCoreApi, RingPolicy } from '../api';
import { PhoneError } from '../errors';
import type { Clock } from '../ports';
import { runBotAgent, type BotAgentOptions } from './bot-agent';

export type BotMode = { kind: 'idle' } | { kind: 'auto-answer' } | { kind: 'auto-decline' } | { kind: 'call'; to: string; media: 'audio' | 'video' };

export interface BotOptions {
  mode: BotMode;
  /** Hang up an answered call after this long. */
  hangupAfterMs?: number;
  /** Acknowledge missed calls as they arrive. */
  ackMissed?: boolean;
  ringPolicy?: RingPolicy;
  /** As a support-line agent: the state to set and how to finish wrap-ups. */
  agent?: BotAgentOptions;
  /** One JSON object per line. */
  print: (line: Record<string, unknown>) => void;
  clock: Clock;
  /** --call mode: called once the call is over (the CLI exits). */
  onCallDone?: () => void;
}

/** The bot's test offer and answer: enough to prove the signal relay both ways (the bot has no media). */
export const BOT_OFFER = { type: 'offer', sdp: 'v=0 bot-offer' } as const;
export const BOT_ANSWER = { type: 'answer', sdp: 'v=0 bot-answer' } as const;

const describeCall = (call: CallView) => ({
  callId: call.callId,
  direction: call.direction,
  peer: call.peer.username,
  media: call.media,
  phase: call.phase,
  line: call.line?.name ?? null,
});

/** Wires a PhoneCore to JSON lines and to the chosen automatic behaviour. */
export function runBot(core: PhoneCoreApi, o: BotOptions): void {
  const fail = (action: string, error: unknown) =>
    o.print({ event: 'error', action, code: error instanceof PhoneError ? error.code : 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  if (o.ringPolicy) core.setRingPolicy(o.ringPolicy);
  if (o.agent) runBotAgent(core, o.agent, o.print, fail, o.clock);
  let dialled = false;

  core.on('connection', (state) => {
    o.print({ event: 'connection', status: state.status, reason: state.reason, code: state.code });
    if (state.status !== 'online') return;
    const snapshot = core.snapshot();
    o.print({ event: 'ready', user: snapshot.user?.username ?? null, deviceId: snapshot.deviceId });
    if (o.mode.kind === 'call' && !dialled) {
      dialled = true;
      const { to, media } = o.mode;
      core.call(to, media).then(
        (call) => {
          o.print({ event: 'calling', ...describeCall(call), endReason: call.endReason });
          if (call.phase === 'ended') o.onCallDone?.();
        },
        (error: unknown) => {
          fail('call', error);
          o.onCallDone?.();
        },
      );
    }
  });
  core.on('incoming', (call) => {
    o.print({ event: 'incoming', ...describeCall(call), silent: call.silent, waiting: call.waiting });
    if (o.mode.kind === 'auto-answer') core.answer(call.callId).catch((e: unknown) => fail('answer', e));
    if (o.mode.kind === 'auto-decline') core.decline(call.callId).catch((e: unknown) => fail('decline', e));
  });
  core.on('ring-stopped', (callId, reason) => o.print({ event: 'ring-stopped', callId, reason }));
  core.on('ringback', (callId) => o.print({ event: 'ringback', callId }));
  core.on('answered', (call, initiator) => {
    o.print({ event: 'answered', ...describeCall(call), initiator });
    if (initiator) core.sendSignal(call.callId, BOT_OFFER).catch((e: unknown) => fail('signal', e));
    if (o.hangupAfterMs !== undefined) {
      o.clock.setTimeout(() => {
        if (core.snapshot().calls.some((c) => c.callId === call.callId)) core.end(call.callId).catch((e: unknown) => fail('hangup', e));
      }, o.hangupAfterMs);
    }
  });
  core.on('signal', (callId, data) => {
    o.print({ event: 'signal', callId, data });
    if ('type' in data && data.type === 'offer') core.sendSignal(callId, BOT_ANSWER).catch((e: unknown) => fail('signal', e));
  });
  core.on('ended', (call) => {
    o.print({ event: 'ended', ...describeCall(call), reason: call.endReason });
    if (o.mode.kind === 'call' && call.direction === 'outgoing') o.onCallDone?.();
  });
  core.on('missed', (calls) => {
    o.print({ event: 'missed', calls: calls.map((c) => ({ id: c.id, callId: c.callId, from: c.from.username, reason: c.reason, at: c.at })) });
    if (o.ackMissed) core.acknowledgeMissed(calls.map((c) => c.id)).catch((e: unknown) => fail('ack-missed', e));
  });
  core.on('presence', (userId, status) => o.print({ event: 'presence', userId, status }));
}
