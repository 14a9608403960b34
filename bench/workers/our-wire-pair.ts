import { connectOurs } from '../clients/our-protocol-client';
import { requestOk } from '../lib/protocol-calls';
import { once, type RelayPair } from './latency-prober';
import type { OurPairParams } from './our-relay-pair';

/**
 * Attribution probes: the rounds of `ours-invite` and `ours-signal` with bare protocol sockets instead of
 * PhoneCore, so the report can split our latency into server and client-library parts.
 */
export async function openOurWirePair(params: OurPairParams): Promise<RelayPair> {
  const [caller, callee] = await Promise.all([
    connectOurs(params.url, params.caller.token, params.caller.deviceId),
    connectOurs(params.url, params.callee.token, params.callee.deviceId),
  ]);
  const close = async () => {
    caller.close();
    callee.close();
  };
  let deliver: (() => void) | undefined;
  if (params.kind === 'ours-signal-wire') {
    const invited = await requestOk(caller, 'call:invite', { to: params.callee.username, media: 'audio' });
    await requestOk(callee, 'call:accept', { callId: invited.callId });
    const data = params.signal ?? { type: 'offer', sdp: 'v=0' };
    // A device acknowledges every call:signal (the server keeps it until then, and the sender's ack waits for it).
    callee.on('call:signal', (_signal, ack) => {
      ack({});
      deliver?.();
    });
    return { roundOne: () => once((d) => (deliver = d), () => caller.emit('call:signal', { callId: invited.callId, data }, () => undefined)), close };
  }
  let ringing: string | undefined;
  callee.on('call:incoming', (incoming) => {
    ringing = incoming.callId;
    deliver?.();
  });
  return {
    roundOne: () => once((d) => (deliver = d), () => caller.emit('call:invite', { to: params.callee.username, media: 'audio' }, () => undefined)),
    afterRound: async () => {
      if (ringing) await requestOk(caller, 'call:cancel', { callId: ringing });
      ringing = undefined;
    },
    close,
  };
}
