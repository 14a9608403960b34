import { SignalData } from '../../../shared/protocol';
import type { PeerSignal } from './simple-peer';

/**
 * simple-peer tags renegotiation and transceiver requests with a `type` the wire schema does not
 * have; strip it and validate with the shared schema so only well-formed signals leave the renderer.
 * Returns null for data the wire contract cannot carry.
 */
export function toWireSignal(data: PeerSignal): SignalData | null {
  let candidate: unknown = data;
  if ('renegotiate' in data) candidate = { renegotiate: true };
  else if ('transceiverRequest' in data) candidate = { transceiverRequest: data.transceiverRequest };
  const parsed = SignalData.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}
