import { z } from 'zod';
import { EndReason, Media, UserIdentity } from '../../../shared/protocol';

/**
 * The durable timer kind of a cancel push's next attempt (server/src/timers). Its id carries everything the
 * attempt needs, so whichever node runs it (the one that sent the first attempt may be gone) can send it
 * without any other state: `<callId>/<attempt>/<base64url JSON>`, one id per call, device and attempt.
 */
export const CANCEL_RETRY_TIMER = 'push-cancel';

export const OwedCancel = z.object({
  callId: z.string().min(1),
  /** The callee: the pushed device is looked up again among its push devices (a removed one is owed nothing). */
  userId: z.string().min(1),
  deviceId: z.string().min(1),
  attempt: z.number().int().min(2),
  /** Epoch ms: the end of the cancel window (PUSH_CANCEL_WINDOW_MS after the call stopped ringing). */
  until: z.number(),
  reason: EndReason,
  caller: UserIdentity,
  media: Media,
});
export type OwedCancel = z.infer<typeof OwedCancel>;

export function cancelRetryTimerId(owed: OwedCancel): string {
  return `${owed.callId}/${owed.attempt}/${Buffer.from(JSON.stringify(owed)).toString('base64url')}`;
}

/** The owed cancel a timer id names, or null for an id this version cannot read (it is dropped). */
export function parseCancelRetryTimerId(timerId: string): OwedCancel | null {
  return parseEncoded(timerId, OwedCancel);
}

/**
 * The durable timer kind of a call's cancel pushes sent by a node that did not push its invite (cluster: the call
 * stopped ringing on another node than the one that pushed). It is armed at once, with nothing awaited before, so a
 * node that dies right after the call's end still leaves the cancel to another node; whichever node runs it reads the
 * callee's push devices among `deviceIds` and sends each its first attempt (whose retry is a `push-cancel` timer).
 * Id: `<callId>/<base64url JSON>`, one per call.
 */
export const CANCEL_CALL_TIMER = 'push-cancel-call';

export const OwedCallCancel = OwedCancel.omit({ deviceId: true, attempt: true }).extend({
  /** The devices the call rang, but the one that answered: the callee's push devices among them are owed a cancel. */
  deviceIds: z.array(z.string().min(1)).min(1),
});
export type OwedCallCancel = z.infer<typeof OwedCallCancel>;

export function callCancelTimerId(owed: OwedCallCancel): string {
  return `${owed.callId}/${Buffer.from(JSON.stringify(owed)).toString('base64url')}`;
}

export function parseCallCancelTimerId(timerId: string): OwedCallCancel | null {
  return parseEncoded(timerId, OwedCallCancel);
}

function parseEncoded<T>(timerId: string, schema: z.ZodType<T>): T | null {
  const encoded = timerId.slice(timerId.lastIndexOf('/') + 1);
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
