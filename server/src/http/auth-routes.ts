import { parse as parseCookies } from 'cookie';
import { Router, type Request, type Response } from 'express';
import { LoginRequest, LogoutRequest, parseOrThrow, ProtocolError, REFRESH_COOKIE, RefreshRequest, RegisterRequest, type AuthResponse } from '../../../shared/protocol';
import type { AccountService } from '../auth/account-service';

/** The client address the limits are keyed by (behind a proxy on loopback: its X-Forwarded-For). */
const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

/** True when the client asked for the refresh token as an HttpOnly cookie (the web host). */
const wantsCookie = (req: Request) => req.get(REFRESH_COOKIE.requestHeader) === 'cookie';

/** Sends an AuthResponse; in cookie mode the refresh token goes into the HttpOnly cookie instead of the body. */
function sendAuth(req: Request, res: Response, auth: AuthResponse, status = 200): void {
  res.set('cache-control', 'no-store');
  if (!wantsCookie(req)) {
    res.status(status).json(auth);
    return;
  }
  const { refreshToken, ...body } = auth;
  res.cookie(REFRESH_COOKIE.name, refreshToken ?? '', {
    httpOnly: true,
    sameSite: 'strict',
    secure: req.secure,
    path: REFRESH_COOKIE.path,
    expires: new Date(auth.refreshTokenExpiresAt),
  });
  res.status(status).json(body);
}

/**
 * The refresh token from the body, or in cookie mode from the cookie (only then: a cross-site form
 * cannot set the header, and the cookie is SameSite=Strict anyway).
 */
function refreshTokenOf(req: Request, what: 'refresh' | 'logout'): string {
  const fromBody = parseOrThrow(what === 'logout' ? LogoutRequest : RefreshRequest, req.body ?? {}, `${what} request`).refreshToken;
  if (fromBody) return fromBody;
  if (!wantsCookie(req)) {
    throw new ProtocolError('VALIDATION_FAILED', `Invalid ${what} request: refreshToken is required`, [
      { path: 'refreshToken', message: `required (or send ${REFRESH_COOKIE.requestHeader}: cookie with the refresh cookie)` },
    ]);
  }
  const fromCookie = parseCookies(req.get('cookie') ?? '')[REFRESH_COOKIE.name];
  if (!fromCookie) throw new ProtocolError('UNAUTHORIZED', 'No refresh cookie: sign in again');
  return fromCookie;
}

/** POST /api/auth/register | login | refresh | logout. */
export function authRoutes(accounts: AccountService): Router {
  const router = Router();
  router.post('/register', async (req, res) => {
    const input = parseOrThrow(RegisterRequest, req.body, 'registration');
    sendAuth(req, res, await accounts.register(input, addressOf(req)), 201);
  });
  router.post('/login', async (req, res) => {
    sendAuth(req, res, await accounts.login(parseOrThrow(LoginRequest, req.body, 'login'), addressOf(req)));
  });
  router.post('/refresh', async (req, res) => {
    sendAuth(req, res, await accounts.refresh(refreshTokenOf(req, 'refresh')));
  });
  router.post('/logout', async (req, res) => {
    await accounts.logout(refreshTokenOf(req, 'logout'));
    if (wantsCookie(req)) res.clearCookie(REFRESH_COOKIE.name, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: REFRESH_COOKIE.path });
    res.status(204).end();
  });
  return router;
}
