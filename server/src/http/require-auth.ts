import type { Request, RequestHandler } from 'express';
import { ProtocolError } from '../../../shared/protocol';
import type { Authenticated } from '../auth/account-service';

const USER_ID = Symbol('userId');
const SESSION_ID = Symbol('sessionId');
type AuthedRequest = Request & { [USER_ID]?: string; [SESSION_ID]?: string };

/** Requires `Authorization: Bearer <access token>` of a session that is still alive. */
export function requireAuth(authenticate: (accessToken: string) => Promise<Authenticated>): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ProtocolError('UNAUTHORIZED', 'Missing bearer token');
    const authed = await authenticate(match[1]);
    (req as AuthedRequest)[USER_ID] = authed.user.userId;
    (req as AuthedRequest)[SESSION_ID] = authed.sessionId;
    next();
  };
}

/** The authenticated user's id (only behind requireAuth). */
export function authedUserId(req: Request): string {
  const userId = (req as AuthedRequest)[USER_ID];
  if (!userId) throw new ProtocolError('UNAUTHORIZED', 'Not authenticated');
  return userId;
}

/** The sign-in session of the request's access token (only behind requireAuth). */
export function authedSessionId(req: Request): string {
  const sessionId = (req as AuthedRequest)[SESSION_ID];
  if (!sessionId) throw new ProtocolError('UNAUTHORIZED', 'Not authenticated');
  return sessionId;
}
