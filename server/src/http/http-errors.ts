import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ProtocolError, type ErrorBody, type ErrorCode } from '../../../shared/protocol';
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
  USERNAME_TAKEN: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export const httpStatusOf = (code: ErrorCode): number => STATUS[code] ?? 409;

/** Unknown /api routes answer a typed NOT_FOUND. */
export const notFound: RequestHandler = (req, res) => {
  const body: ErrorBody = { code: 'NOT_FOUND', message: `No route ${req.method} ${req.path}` };
  res.status(404).json({ error: body });
};

/** Every failure leaves as `{ error: ErrorBody }`; unexpected ones as INTERNAL without details. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let body: ErrorBody;
    if (error instanceof ProtocolError) body = error.toBody();
    else if (isBodyParserError(error)) body = { code: 'VALIDATION_FAILED', message: `Invalid request body: ${error.message}` };
    else {
      logger.error({ err: error, path: req.path }, 'http request failed');
      body = { code: 'INTERNAL', message: 'Internal error' };
    }
    res.status(httpStatusOf(body.code)).json({ error: body });
  };
}

function isBodyParserError(error: unknown): error is { type: string; message: string } {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string' && 'status' in error;
}
