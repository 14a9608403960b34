import type { Request, RequestHandler } from 'express';
import { ProtocolError } from '../../../shared/protocol';
import type { TokenService } from '../auth/tokens';

const USER_ID = Symbol('userId');
type AuthedRequest = Request & { [USER_ID]?: string };

/** Requires `Authorization: Bearer <access token>`. */
export function requireAuth(tokens: TokenService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ProtocolError('UNAUTHORIZED', 'Missing bearer token');
    (req as AuthedRequest)[USER_ID] = await tokens.verify(match[1], 'access');
    next();
  };
}

/** The authenticated user's id (only behind requireAuth). */
export function authedUserId(req: Request): string {
  const userId = (req as AuthedRequest)[USER_ID];
  if (!userId) throw new ProtocolError('UNAUTHORIZED', 'Not authenticated');
  return userId;
}
