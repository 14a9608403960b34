import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorBody, ErrorCode } from '../../../shared/protocol';
import { errorBodyOf } from '../error-body';
import type { Logger } from '../logger';

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  PROTOCOL_MISMATCH: 400,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  INVALID_CREDENTIALS: 401,
  USER_NOT_FOUND: 404,
  CALL_NOT_FOUND: 404,
  NOT_FOUND: 404,
  LINE_NOT_FOUND: 404,
  FORBIDDEN: 403,
  OUTCOME_REQUIRED: 400,
  USERNAME_TAKEN: 409,
  RATE_LIMITED: 429,
  UNKNOWN_HOST: 421,
  INTERNAL: 500,
  STORAGE_UNAVAILABLE: 503,
};

export const httpStatusOf = (code: ErrorCode): number => STATUS[code] ?? 409;

/** Unknown /api routes answer a typed NOT_FOUND. */
export const notFound: RequestHandler = (req, res) => {
  const body: ErrorBody = { code: 'NOT_FOUND', message: `No route ${req.method} ${req.path}` };
  res.status(404).json({ error: body });
};

/**
 * Every failure leaves as `{ error: ErrorBody }` (see errorBodyOf); RATE_LIMITED and STORAGE_UNAVAILABLE
 * also carry `Retry-After` (seconds).
 * A body the JSON parser refuses is VALIDATION_FAILED with the parser's status (400, or 413 over the 64 KB limit).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (isBodyParserError(error)) {
      const body: ErrorBody = { code: 'VALIDATION_FAILED', message: `Invalid request body: ${error.message}` };
      res.status(error.status).json({ error: body });
      return;
    }
    const body = errorBodyOf(error, (err) => logger.error({ err, path: req.path }, 'http request failed'));
    if (body.retryAfterMs !== undefined) res.set('retry-after', String(Math.max(1, Math.ceil(body.retryAfterMs / 1000))));
    res.status(httpStatusOf(body.code)).json({ error: body });
  };
}

/** body-parser errors carry `type` (e.g. 'entity.too.large', 'entity.parse.failed') and a 4xx `status`. */
function isBodyParserError(error: unknown): error is { type: string; message: string; status: number } {
  if (typeof error !== 'object' || error === null) return false;
  const { type, status } = error as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}
