import { z } from 'zod';

/** Every error the service can answer with, on a socket acknowledgement, a connect_error or an HTTP body. */
export const ERROR_CODES = [
  'VALIDATION_FAILED', // the payload does not match the shared schema
  'UNAUTHORIZED', // no token, bad token or wrong token type
  'TOKEN_EXPIRED', // the access token has expired: refresh it
  'PROTOCOL_MISMATCH', // the client speaks another major protocol version
  'INVALID_CREDENTIALS', // wrong username or password
  'USERNAME_TAKEN',
  'USER_NOT_FOUND',
  'SELF_CALL', // a user cannot call themselves
  'CALL_NOT_FOUND', // no such call, or the caller is not one of its participants
  'NOT_RINGING_HERE', // accept/decline from a device the call does not ring on
  'ALREADY_ANSWERED', // another device accepted first
  'INVALID_STATE', // the call is not in a state that allows this action
  'RATE_LIMITED', // a limit was reached: wait `retryAfterMs` (HTTP: 429 with Retry-After)
  'TOO_MANY_DEVICES', // the user already has MAX_DEVICES_PER_USER devices connected
  'STORAGE_UNAVAILABLE', // the service cannot record anything right now (disk full, I/O error): retry later
  'UNKNOWN_HOST', // the HTTP Host header names a host this service does not answer to (DNS rebinding)
  'TRANSFER_CONFLICT', // the call already has an open transfer or consult
  'TRANSFER_NOT_FOUND', // no such transfer, or not the sender's (same answer)
  'TARGET_UNAVAILABLE', // the transfer target cannot be reached now; nothing changed
  'PEER_OUTDATED', // the other side's app is too old for this
  'NOT_FOUND',
  'FORBIDDEN', // signed in, but without the role or membership this needs
  'NAME_TAKEN', // a line name that a user or another line already has
  'LINE_NOT_FOUND', // no such line (or not visible to the asker)
  'OUTCOME_REQUIRED', // the line requires an outcome code before Done
  'EDIT_WINDOW_CLOSED', // wrap-up notes are editable for 24 h only
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For VALIDATION_FAILED: the paths that failed. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** For RATE_LIMITED and STORAGE_UNAVAILABLE: how long to wait before trying again. */
  retryAfterMs: z.number().int().nonnegative().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export class ProtocolError extends Error {
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorBody['issues'],
    options: { retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'ProtocolError';
    this.retryAfterMs = options.retryAfterMs;
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/** Turns a zod failure into the typed VALIDATION_FAILED error. */
export function validationError(error: z.ZodError, what: string): ProtocolError {
  const issues = error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message }));
  return new ProtocolError('VALIDATION_FAILED', `Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

/** Parses with a schema and throws a typed ProtocolError instead of a ZodError. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}
