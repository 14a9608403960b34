import { randomBytes, randomUUID } from 'node:crypto';
import type { PushCancel, PushInvite } from '../../../../shared/protocol/push';

export const CALLER = { userId: randomUUID(), username: 'alice', displayName: 'Alice Example' };

export function invitePayload(callId: string = randomUUID()): PushInvite {
  const now = Date.now();
  return { type: 'invite', callId, caller: CALLER, media: 'audio', serverTime: new Date(now).toISOString(), ringUntil: new Date(now + 60_000).toISOString() };
}

export function cancelPayload(callId: string = randomUUID()): PushCancel {
  return { type: 'cancel', callId, caller: CALLER, media: 'video', serverTime: new Date().toISOString(), reason: 'cancelled' };
}

/** A fresh PushKit-style token (32 bytes, hex). */
export const apnsToken = () => randomBytes(32).toString('hex');
/** A fresh FCM-style registration token. */
export const fcmToken = () => `fcm-${randomBytes(48).toString('base64url')}`;
