import { z } from 'zod';
import { DirectoryEntry, DirectoryLine, HistoryEntry, IceServer, LineRef, NewDisplayName, Password, UserIdentity, Username } from './entities';
import { Role } from './lines';

/** HTTP API. Bodies are JSON; errors are `{ error: ErrorBody }` with a matching status. */

export const RegisterRequest = z.object({ username: Username, displayName: NewDisplayName, password: Password }).strict();
export const LoginRequest = z.object({ username: Username, password: z.string().min(1).max(256) }).strict();
/** `refreshToken` may be left out when it travels in the refresh cookie (see REFRESH_COOKIE). */
export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(4_096).optional() }).strict();
export const LogoutRequest = RefreshRequest;

/**
 * The web host keeps its refresh token in an HttpOnly cookie instead of page storage: a request that
 * carries the header `REFRESH_COOKIE.requestHeader: cookie` gets the refresh token as the cookie
 * `REFRESH_COOKIE.name` (HttpOnly, SameSite=Strict, Path=/api/auth, Secure over https) and not in the
 * body, and refresh/logout read it from there.
 */
export const REFRESH_COOKIE = { name: 'softphone_refresh', requestHeader: 'x-softphone-refresh', path: '/api/auth' } as const;

export const AuthResponse = z.object({
  user: UserIdentity,
  accessToken: z.string(),
  /** ISO time at which the access token expires. */
  accessTokenExpiresAt: z.string().datetime(),
  /** Absent when it was set as the refresh cookie. */
  refreshToken: z.string().optional(),
  refreshTokenExpiresAt: z.string().datetime(),
});
export type AuthResponse = z.infer<typeof AuthResponse>;

export const DirectoryQuery = z
  .object({ q: z.string().max(64).default(''), limit: z.coerce.number().int().min(1).max(200).default(50) })
  .strict();
/**
 * People in `users` (as in 1.2), service lines in their own `lines` array (1.3): an app that knows only `users`
 * keeps working. Absent from an older service: none.
 */
export const DirectoryResponse = z.object({ users: z.array(DirectoryEntry), lines: z.array(DirectoryLine).default([]) });
export type DirectoryResponse = z.infer<typeof DirectoryResponse>;

/** The signed-in user, its effective roles and the open lines it answers for as an agent (1.3; absent from an older service: none). */
export const MeResponse = z.object({ user: UserIdentity, roles: z.array(Role).default([]), lines: z.array(LineRef).default([]) });
export type MeResponse = z.infer<typeof MeResponse>;

export const HistoryQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Opaque cursor from the previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
    missedOnly: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export const HistoryResponse = z.object({ calls: z.array(HistoryEntry), nextCursor: z.string().nullable() });
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const IceServersResponse = z.object({ iceServers: z.array(IceServer), ttlSeconds: z.number().int().nullable() });
export type IceServersResponse = z.infer<typeof IceServersResponse>;

export const HealthResponse = z.object({ status: z.literal('ok'), version: z.string(), protocolVersion: z.string(), uptimeSeconds: z.number() });

export const API_ROUTES = {
  register: 'POST /api/auth/register',
  login: 'POST /api/auth/login',
  refresh: 'POST /api/auth/refresh',
  logout: 'POST /api/auth/logout',
  me: 'GET /api/me',
  directory: 'GET /api/directory',
  history: 'GET /api/history',
  iceServers: 'GET /api/ice-servers',
  health: 'GET /healthz',
} as const;
