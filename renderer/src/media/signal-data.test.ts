import { describe, expect, it } from 'vitest';
import type { PeerSignal } from './simple-peer';
import { toWireSignal } from './signal-data';

describe('toWireSignal', () => {
  it('passes SDP and candidates through unchanged', () => {
    expect(toWireSignal({ type: 'offer', sdp: 'v=0' })).toEqual({ type: 'offer', sdp: 'v=0' });
    const candidate = { type: 'candidate' as const, candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMLineIndex: 0, sdpMid: '0' } };
    expect(toWireSignal(candidate as unknown as PeerSignal)).toEqual(candidate); // simple-peer sends a plain object, not an RTCIceCandidate
  });

  it('strips the type simple-peer adds to renegotiation and transceiver requests', () => {
    expect(toWireSignal({ type: 'renegotiate', renegotiate: true })).toEqual({ renegotiate: true });
    expect(toWireSignal({ type: 'transceiverRequest', transceiverRequest: { kind: 'video' } })).toEqual({ transceiverRequest: { kind: 'video' } });
  });

  it('refuses what the wire contract cannot carry', () => {
    expect(toWireSignal({ type: 'offer', sdp: 'x'.repeat(40_000) })).toBeNull();
    expect(toWireSignal({} as never)).toBeNull();
  });
});
