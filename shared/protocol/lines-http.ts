import { z } from 'zod';
import { LineRef, NewDisplayName, UserIdentity, Username } from './entities';
import { AgentView, Line, LineConfig, LineRecord, Role } from './lines';

/** HTTP API for service lines and roles (docs/lines.md). Errors as every route: `{ error: ErrorBody }`. */

export const LINE_API_ROUTES = {
  lines: 'GET /api/lines',
  createLine: 'POST /api/lines',
  line: 'GET /api/lines/:lineId',
  updateLine: 'PATCH /api/lines/:lineId',
  deleteLine: 'DELETE /api/lines/:lineId',
  members: 'GET /api/lines/:lineId/members',
  addMember: 'PUT /api/lines/:lineId/members/:username',
  removeMember: 'DELETE /api/lines/:lineId/members/:username',
  records: 'GET /api/lines/:lineId/records',
  roles: 'GET /api/users/:username/roles',
  setRoles: 'PUT /api/users/:username/roles',
} as const;

/** Path parameters. A line may be named by its id or by its name (`/api/lines/support`). */
export const LinePathParams = z.object({ lineId: z.union([z.string().uuid(), Username]) });
export const MemberPathParams = LinePathParams.extend({ username: Username });
export const UserPathParams = z.object({ username: Username });

export const CreateLineRequest = LineConfig.partial()
  .extend({ name: Username, displayName: NewDisplayName })
  .strict();
export type CreateLineRequest = z.input<typeof CreateLineRequest>;

/** Changes only the fields given (at least one). */
export const UpdateLineRequest = LineConfig.partial()
  .extend({ name: Username.optional(), displayName: NewDisplayName.optional() })
  .strict()
  .refine((value) => Object.keys(value).length > 0, 'change at least one field');
export type UpdateLineRequest = z.input<typeof UpdateLineRequest>;

export const LineResponse = z.object({ line: Line });
export const LinesResponse = z.object({ lines: z.array(Line) });

export const LineMember = UserIdentity.extend({ addedAt: z.string().datetime(), agent: AgentView });
export type LineMember = z.infer<typeof LineMember>;
export const MembersResponse = z.object({ members: z.array(LineMember) });
export const MemberResponse = z.object({ member: LineMember });

export const RolesRequest = z.object({ roles: z.array(Role).max(2) }).strict();
/** `roles`: the user's effective roles (ADMIN_USERS admins always have `admin`); `stored`: what the API granted. */
export const RolesResponse = z.object({ user: UserIdentity, roles: z.array(Role), stored: z.array(Role) });

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-11-30');
/** `from`..`to` are whole days in the line's time zone (both included), at most 92 days. */
export const RecordsQuery = z
  .object({ from: isoDay, to: isoDay, format: z.enum(['json', 'csv']).default('json') })
  .strict()
  .refine((value) => value.from <= value.to, { message: 'from must not be after to', path: ['from'] })
  .refine((value) => Date.parse(`${value.to}T00:00:00Z`) - Date.parse(`${value.from}T00:00:00Z`) <= 91 * 86_400_000, {
    message: 'at most 92 days',
    path: ['to'],
  });
export const RecordsResponse = z.object({ line: LineRef, from: z.string(), to: z.string(), records: z.array(LineRecord) });
