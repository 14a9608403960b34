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
  'RATE_LIMITED',
  'NOT_FOUND',
  'INTERNAL',
] as const;

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** For VALIDATION_FAILED: the paths that failed. */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorBody['issues'],
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toBody(): ErrorBody {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
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
