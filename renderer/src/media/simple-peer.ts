/**
 * simple-peer for the browser. The package's main entry needs Node polyfills (buffer, stream,
 * process); its prebuilt browserify bundle carries its own, so the renderer imports that and
 * keeps the types from @types/simple-peer.
 */
import type SimplePeerTypes from 'simple-peer';
import SimplePeerBundle from 'simple-peer/simplepeer.min.js';

/** simple-peer's instance; `negotiate()` exists in 9.x but is missing from the published types. */
export type PeerInstance = SimplePeerTypes.Instance & { negotiate(): void };
export type PeerOptions = SimplePeerTypes.Options;
export type PeerSignal = SimplePeerTypes.SignalData;

export function createPeer(options: PeerOptions): PeerInstance {
  return new SimplePeerBundle(options) as PeerInstance;
}

/** simple-peer keeps its RTCPeerConnection on `_pc` (not in the published types). */
export function peerConnectionOf(peer: PeerInstance): RTCPeerConnection {
  return (peer as unknown as { _pc: RTCPeerConnection })._pc;
}
