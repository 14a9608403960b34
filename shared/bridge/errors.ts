import { z } from 'zod';
import { ERROR_CODES, ProtocolError, type ErrorBody } from '../protocol';

/**
 * Errors crossing the bridge: the wire ErrorBody, with a few codes that only exist between a
 * renderer and its host (PhoneCore's client-side TIMEOUT/OFFLINE, a host without a feature,
 * an action that needs a signed-in user, a broken bridge transport).
 */
export const BRIDGE_ONLY_ERROR_CODES = ['TIMEOUT', 'OFFLINE', 'UNSUPPORTED', 'NOT_SIGNED_IN', 'BAD_LINK', 'TRANSPORT'] as const;
export const BridgeErrorCode = z.enum([...ERROR_CODES, ...BRIDGE_ONLY_ERROR_CODES]);
export type BridgeErrorCode = z.infer<typeof BridgeErrorCode>;

export const BridgeErrorBody = z.object({
  code: BridgeErrorCode,
  message: z.string().max(2_000),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type BridgeErrorBody = z.infer<typeof BridgeErrorBody>;

/** An error a bridge handler throws on purpose; its body goes to the renderer as is. */
export class BridgeError extends Error {
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
    readonly issues?: ErrorBody['issues'],
  ) {
    super(message);
    this.name = 'BridgeError';
  }

  get body(): BridgeErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

/**
 * Turns anything a handler threw into an error body. Typed errors keep their code; objects that
 * look like an ErrorBody (PhoneCore's ClientError, HTTP error bodies) keep theirs when it is a
 * known code; anything else becomes INTERNAL with a generic message (no stack, no internals).
 */
export function toBridgeErrorBody(error: unknown): BridgeErrorBody {
  if (error instanceof BridgeError) return error.body;
  if (error instanceof ProtocolError) return error.toBody();
  if (typeof error === 'object' && error !== null) {
    const candidate = BridgeErrorBody.safeParse({ code: (error as { code?: unknown }).code, message: (error as { message?: unknown }).message });
    if (candidate.success) {
      const issues = (error as { issues?: unknown }).issues;
      const parsedIssues = BridgeErrorBody.shape.issues.safeParse(issues);
      return parsedIssues.success && parsedIssues.data ? { ...candidate.data, issues: parsedIssues.data } : candidate.data;
    }
  }
  return { code: 'INTERNAL', message: 'Something went wrong in the app. Copy diagnostics and report it.' };
}
