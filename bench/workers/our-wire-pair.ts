import { connectOurs } from '../clients/our-protocol-client';
import { requestOk } from '../lib/protocol-calls';
import { once, type RelayPair } from './latency-prober';
import type { OurPairParams } from './our-relay-pair';

/**
 * Attribution probe: the invite round of `ours-invite` with bare protocol sockets instead of PhoneCore,
 * so the report can split our invite latency into server and client-library parts.
 */
export async function openOurWirePair(params: OurPairParams): Promise<RelayPair> {
  const [caller, callee] = await Promise.all([
    connectOurs(params.url, params.caller.token, params.caller.deviceId),
    connectOurs(params.url, params.callee.token, params.callee.deviceId),
  ]);
  let deliver: (() => void) | undefined;
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
    close: async () => {
      caller.close();
      callee.close();
    },
  };
}
