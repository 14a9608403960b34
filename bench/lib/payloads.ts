import type { SignalData } from '../../shared/protocol';

/**
 * Messages of realistic size. The baselines relay an object of the same shape and size as what our
 * server delivers, so every relay moves the same bytes.
 */

const SDP_LENGTH = 1_500;
const sdpLine = 'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0 network-id 1\r\n';
export const SAMPLE_SDP = `v=0\r\n${sdpLine.repeat(Math.ceil(SDP_LENGTH / sdpLine.length))}`.slice(0, SDP_LENGTH);

export const SAMPLE_SIGNAL: SignalData = { type: 'offer', sdp: SAMPLE_SDP };

const sampleIdentity = { userId: '6f1d8a56-3f0e-4d5b-9a43-6d2bd1c2b0a1', username: 'bench-caller-0001', displayName: 'Bench caller 0001' };
const sampleCallId = '0b7a4c2e-58f1-4a0e-8f3e-2f4d5e6a7b8c';

/** Same shape and size as our `call:signal` server event. */
export const SIGNAL_SIZED_PAYLOAD = { callId: sampleCallId, from: sampleIdentity, deviceId: 'bench-device-000000', data: SAMPLE_SIGNAL };

/** Same shape and size as our `call:incoming` server event. */
export const INVITE_SIZED_PAYLOAD = {
  callId: sampleCallId,
  from: sampleIdentity,
  media: 'audio',
  startedAt: '2025-01-01T00:00:00.000Z',
  ringUntil: '2025-01-01T00:01:00.000Z',
};

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** Same shape and size as our `call:accepted` server event. */
export const ACCEPTED_SIZED_PAYLOAD = { callId: sampleCallId, by: sampleIdentity, deviceId: 'bench-device-000000' };

/** Same shape and size as our `call:ended` server event. */
export const ENDED_SIZED_PAYLOAD = { callId: sampleCallId, reason: 'hangup', by: sampleIdentity.userId };
