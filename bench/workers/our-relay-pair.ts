import { connectOurs } from '../clients/our-protocol-client';
import { requestOk } from '../lib/protocol-calls';
import type { SignalData } from '../../shared/protocol';
import { once, type RelayPair } from './latency-prober';

export interface OurPairParams {
  kind: 'ours-signal' | 'ours-invite';
  url: string;
  caller: { token: string; deviceId: string };
  callee: { token: string; deviceId: string; username: string };
  /** ours-signal: the signalling data relayed each round. */
  signal?: SignalData;
}

/**
 * Two authenticated devices of two users on our server.
 * ours-signal: an answered call between them; each round relays one `call:signal` caller -> callee.
 * ours-invite: each round is `call:invite` -> `call:incoming` at the callee; the call is cancelled after.
 */
export async function openOurRelayPair(params: OurPairParams): Promise<RelayPair> {
  const [caller, callee] = await Promise.all([
    connectOurs(params.url, params.caller.token, params.caller.deviceId),
    connectOurs(params.url, params.callee.token, params.callee.deviceId),
  ]);
  const close = async () => {
    caller.close();
    callee.close();
  };
  let deliver: (() => void) | undefined;

  if (params.kind === 'ours-invite') {
    let lastCallId: string | undefined;
    callee.on('call:incoming', (incoming) => {
      lastCallId = incoming.callId;
      deliver?.();
    });
    return {
      roundOne: () => once((d) => (deliver = d), () => caller.emit('call:invite', { to: params.callee.username, media: 'audio' }, () => undefined)),
      afterRound: async () => {
        if (lastCallId) await requestOk(caller, 'call:cancel', { callId: lastCallId });
        lastCallId = undefined;
      },
      close,
    };
  }

  const invited = await requestOk(caller, 'call:invite', { to: params.callee.username, media: 'audio' });
  await requestOk(callee, 'call:accept', { callId: invited.callId });
  const signal = params.signal ?? { type: 'offer', sdp: 'v=0' };
  callee.on('call:signal', () => deliver?.());
  return {
    roundOne: () => once((d) => (deliver = d), () => caller.emit('call:signal', { callId: invited.callId, data: signal }, () => undefined)),
    close: async () => {
      await requestOk(caller, 'call:hangup', { callId: invited.callId }).catch(() => undefined);
      await close();
    },
  };
}
