import type { ActiveCall, IncomingCall, LineRef, QueueStatus, UserIdentity } from '../protocol';
import type { CallView } from '../phone/api';
import type { CallEvent, CallEventType } from '../call/types';

/** Fixed identities and payloads for unit tests. */
export const ALICE: UserIdentity = { userId: '11111111-1111-4111-8111-111111111111', username: 'alice', displayName: 'Alice' };
export const BOB: UserIdentity = { userId: '22222222-2222-4222-8222-222222222222', username: 'bob', displayName: 'Bob' };
export const CAROL: UserIdentity = { userId: '33333333-3333-4333-8333-333333333333', username: 'carol', displayName: 'Carol' };
export const CALL_ID = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const CALL_ID_2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
export const AT = '2025-01-01T10:00:00.000Z';
/** A service line (issue 14) and a caller's place in it. */
export const SUPPORT: LineRef = { lineId: '44444444-4444-4444-8444-444444444444', name: 'support', displayName: 'Support' };
export const QUEUE_3: QueueStatus = { position: 3, waiting: 3, estimate: { minMs: 120_000, maxMs: 300_000 }, at: AT };
export const QUEUE_2: QueueStatus = { position: 2, waiting: 2, estimate: { minMs: 60_000, maxMs: 180_000 }, at: '2025-01-01T10:00:05.000Z' };
export const LATER = '2025-01-01T10:00:05.000Z';

export function incomingCall(overrides: Partial<IncomingCall> = {}): IncomingCall {
  return { callId: CALL_ID, from: ALICE, media: 'audio', startedAt: AT, ringUntil: '2025-01-01T10:01:00.000Z', ...overrides };
}

export function activeCall(overrides: Partial<ActiveCall> = {}): ActiveCall {
  return {
    callId: CALL_ID,
    peer: BOB,
    peerDeviceId: 'device-bob-1',
    role: 'caller',
    media: 'audio',
    answeredAt: LATER,
    held: false,
    peerHeld: false,
    peerMuted: false,
    peerConnected: true,
    ...overrides,
  };
}

/** A call as PhoneCore shows it: an incoming call from BOB ringing, unless overridden. */
export function callView(overrides: Partial<CallView> = {}): CallView {
  return {
    callId: '20000000-0000-4000-8000-000000000001',
    direction: 'incoming',
    peer: BOB,
    media: 'audio',
    phase: 'incoming',
    waiting: false,
    silent: false,
    held: false,
    remoteHeld: false,
    muted: false,
    remoteMuted: false,
    peerConnected: true,
    startedAt: '2025-01-01T10:00:00.000Z',
    answeredAt: null,
    endedAt: null,
    endReason: null,
    endedBy: null,
    context: null,
    transferredBy: null,
    movedToLine: null,
    conference: null,
    replacedBy: null,
    line: null,
    queue: null,
    ...overrides,
  };
}

/** One valid example of every model event type. */
export const SAMPLE_EVENTS: { [T in CallEventType]: Extract<CallEvent, { type: T }> } = {
  dial: { type: 'dial', to: 'bob', media: 'audio', at: AT },
  incoming: { type: 'incoming', call: incomingCall(), decision: { action: 'ring', silent: false, waiting: false }, at: AT },
  'invite-acked': { type: 'invite-acked', callId: CALL_ID, status: 'ringing', callee: BOB, ringUntil: '2025-01-01T10:01:00.000Z', at: AT },
  'invite-failed': { type: 'invite-failed', error: { code: 'USER_NOT_FOUND', message: 'no such user' }, at: AT },
  'remote-ringing': { type: 'remote-ringing', silent: false, at: AT },
  'remote-accepted': { type: 'remote-accepted', by: BOB, deviceId: 'device-bob-1', at: LATER },
  answer: { type: 'answer', at: AT },
  'accept-acked': { type: 'accept-acked', peerConnected: true, at: LATER },
  'accept-failed': { type: 'accept-failed', error: { code: 'ALREADY_ANSWERED', message: 'answered elsewhere' }, at: LATER },
  decline: { type: 'decline', reason: 'declined', at: AT },
  hangup: { type: 'hangup', reason: 'hangup', at: LATER },
  hold: { type: 'hold', held: true, at: LATER },
  'remote-hold': { type: 'remote-hold', held: true, at: LATER },
  mute: { type: 'mute', muted: true, at: LATER },
  'remote-mute': { type: 'remote-mute', muted: true, at: LATER },
  'peer-connection': { type: 'peer-connection', connected: false, at: LATER },
  'signal-out': { type: 'signal-out', data: { type: 'offer', sdp: 'v=0 out' }, at: LATER },
  'signal-in': { type: 'signal-in', data: { type: 'answer', sdp: 'v=0 in' }, at: LATER },
  'remote-ended': { type: 'remote-ended', reason: 'hangup', at: LATER },
  resumed: { type: 'resumed', call: activeCall(), at: LATER },
  adopted: { type: 'adopted', call: activeCall(), at: LATER },
  forgotten: { type: 'forgotten', at: LATER },
  'ring-timeout': { type: 'ring-timeout', at: '2025-01-01T10:01:00.000Z' },
  replaced: { type: 'replaced', newCallId: CALL_ID_2, at: LATER },
  'transferred-in': { type: 'transferred-in', call: activeCall({ callId: CALL_ID_2, peer: CAROL }), by: BOB, at: LATER },
  'queued-in': {
    type: 'queued-in',
    queued: { callId: CALL_ID_2, line: SUPPORT, media: 'audio', enqueuedAt: LATER, giveUpAt: '2025-01-01T10:10:00.000Z', ringUntil: '2025-01-01T10:10:20.000Z', queue: QUEUE_3 },
    by: BOB,
    why: 'transferred',
    at: LATER,
  },
  'queued-adopted': {
    type: 'queued-adopted',
    queued: { callId: CALL_ID_2, line: SUPPORT, media: 'audio', enqueuedAt: AT, giveUpAt: '2025-01-01T10:10:00.000Z', ringUntil: '2025-01-01T10:10:20.000Z', queue: QUEUE_2 },
    at: LATER,
  },
  'leg-started': { type: 'leg-started', to: CAROL, media: 'audio', at: AT },
  conference: { type: 'conference', conference: { active: true, parties: [ALICE, BOB, CAROL], hub: BOB.userId }, at: LATER },
  'queue-status': { type: 'queue-status', queue: QUEUE_2, at: LATER },
};

/** The invite acknowledgement of a call to the SUPPORT line: queued third. */
export const QUEUED_ACK: Extract<CallEvent, { type: 'invite-acked' }> = {
  ...SAMPLE_EVENTS['invite-acked'],
  status: 'queued',
  callee: { userId: SUPPORT.lineId, username: SUPPORT.name, displayName: SUPPORT.displayName },
  line: SUPPORT,
  queue: QUEUE_3,
};
