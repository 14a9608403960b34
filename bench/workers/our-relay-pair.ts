import { createBenchPhone, startOnline } from '../clients/bench-phone';
import type { SignalData } from '../../shared/protocol';
import { once, type RelayPair } from './latency-prober';

export interface OurPairParams {
  kind: 'ours-signal' | 'ours-invite' | 'ours-invite-wire' | 'ours-signal-wire';
  url: string;
  caller: { token: string; deviceId: string };
  callee: { token: string; deviceId: string; username: string };
  /** ours-signal: the signalling data relayed each round. */
  signal?: SignalData;
}

/**
 * Two PhoneCores of two users on our server.
 * ours-invite: each round is caller.call() -> `incoming` at the callee's PhoneCore; the caller cancels after.
 * ours-signal: an answered call; each round is caller.sendSignal() -> `signal` at the callee's PhoneCore.
 */
export async function openOurRelayPair(params: OurPairParams): Promise<RelayPair> {
  const caller = createBenchPhone({ url: params.url, ...params.caller });
  const callee = createBenchPhone({ url: params.url, ...params.callee });
  await Promise.all([startOnline(caller), startOnline(callee)]);
  const close = async () => {
    await Promise.all([caller.stop(), callee.stop()]);
  };
  let deliver: (() => void) | undefined;

  if (params.kind === 'ours-invite') {
    let ringing: string | undefined;
    let stopped: (() => void) | undefined;
    callee.on('incoming', (call) => {
      ringing = call.callId;
      deliver?.();
    });
    callee.on('ring-stopped', () => stopped?.());
    return {
      roundOne: () => once((d) => (deliver = d), () => void caller.call(params.callee.username, 'audio').catch(() => undefined)),
      afterRound: async () => {
        const callId = ringing;
        ringing = undefined;
        if (!callId) return;
        // The invite's acknowledgement may still be on its way: wait until the caller knows the call, then cancel.
        for (let i = 0; i < 200 && !caller.snapshot().calls.some((c) => c.callId === callId); i++) await new Promise((r) => setTimeout(r, 5));
        await once((d) => (stopped = d), () => void caller.end(callId).catch(() => undefined));
      },
      close,
    };
  }

  const answered = new Promise<string>((resolve) => callee.on('answered', (call) => resolve(call.callId)));
  callee.on('incoming', (call) => void callee.answer(call.callId));
  await caller.call(params.callee.username, 'audio');
  const callId = await answered;
  const signal = params.signal ?? { type: 'offer', sdp: 'v=0' };
  callee.on('signal', () => deliver?.());
  return {
    roundOne: () => once((d) => (deliver = d), () => void caller.sendSignal(callId, signal).catch(() => undefined)),
    close,
  };
}
