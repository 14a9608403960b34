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
  const encoded = timerId.slice(timerId.lastIndexOf('/') + 1);
  try {
    const parsed = OwedCancel.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
