import type { ActiveCall, CallContext, ConferenceView, IncomingCall, LegKind, Media, OutgoingCall, UserIdentity } from '../../../shared/protocol';
import type { ServerPayload } from '../../../shared/protocol';

/** A call the server is routing right now (ringing or answered). Ended calls leave memory. */
export interface LiveCall {
  callId: string;
  caller: UserIdentity;
  callee: UserIdentity;
  callerDeviceId: string;
  media: Media;
  status: 'ringing' | 'active';
  startedAt: number;
  ringUntil: number;
  answeredAt: number | null;
  /** Callee devices the invite was delivered (or pushed) to: the call rings there until they decline. */
  delivered: Set<string>;
  declined: Set<string>;
  /** A callee device reported that it rings. */
  ringingReported: boolean;
  answeredDeviceId: string | null;
  /** Participants (userIds) that have the call on hold, and whose microphone is muted. */
  heldBy: Set<string>;
  mutedBy: Set<string>;
  /** Participant devices whose signalling is gone, within the resume grace. Keys: deviceKey(). */
  disconnected: Set<string>;
  /** When each disconnected participant device was last heard from (ms): its grace and the recorded end count from there. */
  lastSeen: Map<string, number>;
  /** Per receiving device (deviceKey()): signals it has not acknowledged yet (see signal-relay.ts). */
  outboxes: Map<string, SignalOutbox>;
  /** The first call of the conversation (the call itself unless it came from a transfer). */
  conversationId: string;
  /** What this call is in its conversation: a direct call, a transfer's leg, or the call that replaced a transferred one. */
  legKind: LegKind;
  /** A transfer or consult leg: who transfers, for whom (the target sees it before answering). */
  context: CallContext | null;
  /** The call replaced a transferred one: who transferred it. */
  transferredBy: UserIdentity | null;
  /** A three-way call this call is part of (server-driven, transfers/transfer-service.ts). */
  conference: ConferenceView | null;
  /** An accept being committed right now (settles once the call is answered, or rings again). */
  answering: Promise<void> | null;
  /**
   * A transfer may name this call (one was started on it here, or the call came from storage or another node, where
   * this node cannot tell): its end looks the transfer up. False only for a call this node placed and no transfer
   * was started on since.
   */
  mayHaveTransfer: boolean;
}

/** The signals for one device of an answered call, numbered in order, kept until the device acknowledges them. */
export interface SignalOutbox {
  /** Names this numbering (random, per process): a new one tells the device that seq starts again. */
  stream: string;
  nextSeq: number;
  unacked: Array<ServerPayload<'call:signal'>>;
}

export const deviceKey = (userId: string, deviceId: string) => `${userId}/${deviceId}`;
const iso = (ms: number) => new Date(ms).toISOString();

export function newLiveCall(
  fields: Pick<LiveCall, 'callId' | 'caller' | 'callee' | 'callerDeviceId' | 'media' | 'startedAt' | 'ringUntil'> &
    Partial<Pick<LiveCall, 'conversationId' | 'legKind' | 'context' | 'transferredBy' | 'mayHaveTransfer'>>,
): LiveCall {
  return {
    conversationId: fields.callId,
    legKind: 'direct',
    context: null,
    transferredBy: null,
    conference: null,
    answering: null,
    mayHaveTransfer: true,
    ...fields,
    status: 'ringing',
    answeredAt: null,
    delivered: new Set(),
    declined: new Set(),
    ringingReported: false,
    answeredDeviceId: null,
    heldBy: new Set(),
    mutedBy: new Set(),
    disconnected: new Set(),
    lastSeen: new Map(),
    outboxes: new Map(),
  };
}

/** Callee devices the call still rings on (delivered, not declined), optionally except one. */
export function ringingCalleeDevices(call: LiveCall, except?: string): string[] {
  return [...call.delivered].filter((deviceId) => !call.declined.has(deviceId) && deviceId !== except);
}

export const isCallerDevice = (call: LiveCall, userId: string, deviceId: string) =>
  call.caller.userId === userId && call.callerDeviceId === deviceId;

/** True for the two devices of an answered call. */
export const isActiveDevice = (call: LiveCall, userId: string, deviceId: string) =>
  call.status === 'active' && (isCallerDevice(call, userId, deviceId) || (call.callee.userId === userId && call.answeredDeviceId === deviceId));

/** The other end of an answered call, seen from one of its devices. */
export function otherEnd(call: LiveCall, userId: string): { user: UserIdentity; deviceId: string } {
  return userId === call.caller.userId
    ? { user: call.callee, deviceId: call.answeredDeviceId ?? '' }
    : { user: call.caller, deviceId: call.callerDeviceId };
}

export const incomingView = (call: LiveCall): IncomingCall => ({
  callId: call.callId,
  from: call.caller,
  media: call.media,
  startedAt: iso(call.startedAt),
  ringUntil: iso(call.ringUntil),
  ...(call.context ? { context: call.context } : {}),
});

export const outgoingView = (call: LiveCall): OutgoingCall => ({
  callId: call.callId,
  callee: call.callee,
  media: call.media,
  startedAt: iso(call.startedAt),
  ringing: call.ringingReported,
  ringUntil: iso(call.ringUntil),
});

export function activeView(call: LiveCall, userId: string): ActiveCall {
  const other = otherEnd(call, userId);
  return {
    callId: call.callId,
    peer: other.user,
    peerDeviceId: other.deviceId || null,
    role: userId === call.caller.userId ? 'caller' : 'callee',
    media: call.media,
    answeredAt: iso(call.answeredAt ?? call.startedAt),
    held: call.heldBy.size > 0,
    peerHeld: call.heldBy.has(other.user.userId),
    peerMuted: call.mutedBy.has(other.user.userId),
    peerConnected: !call.disconnected.has(deviceKey(other.user.userId, other.deviceId)),
    conversationId: call.conversationId,
    ...(call.transferredBy ? { transferredBy: call.transferredBy } : {}),
    ...(call.conference ? { conference: call.conference } : {}),
  };
}
