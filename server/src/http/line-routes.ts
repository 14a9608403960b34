import { Router, type Request, type RequestHandler } from 'express';
import {
  CreateLineRequest,
  LinePathParams,
  MemberPathParams,
  ProtocolError,
  RecordsQuery,
  RolesRequest,
  UpdateLineRequest,
  UserPathParams,
  parseOrThrow,
  type Line,
  type LineMember,
  type UserIdentity,
} from '../../../shared/protocol';
import type { AccountService } from '../auth/account-service';
import type { Roles } from '../auth/roles';
import type { UsersRepo } from '../db/users-repo';
import type { AgentStatusReader } from '../lines/agent-status';
import type { LineRecords } from '../lines/line-records';
import type { LineRepo, StoredLine } from '../lines/line-repo';
import { authedUserId } from './require-auth';

export interface LineRoutesDeps {
  auth: RequestHandler;
  accounts: AccountService;
  users: UsersRepo;
  lines: LineRepo;
  roles: Roles;
  agents: AgentStatusReader;
  records: LineRecords;
  /** A line's settings or members changed: its agents and watchers are told. */
  onLineChanged: (lineId: string, affectedUserIds: readonly string[]) => void;
}

const publicLine = ({ version: _version, ...line }: StoredLine): Line => line;

/**
 * The line admin API (docs/lines.md). Order of checks: token (401), role (403: a non-admin learns nothing
 * about the input), then the input (400) and the line (404). A line the asker may not see is LINE_NOT_FOUND.
 */
export function lineRoutes(deps: LineRoutesDeps): Router {
  const router = Router();
  router.use(['/lines', '/users'], deps.auth);
  const me = (req: Request): Promise<UserIdentity> => deps.accounts.requireUser(authedUserId(req));
  const requireRole = async (req: Request, role: 'admin' | 'supervisor') => {
    const user = await me(req);
    await deps.roles.require(user, role);
    return user;
  };
  const person = async (username: string): Promise<UserIdentity> => {
    const user = await deps.users.findByUsername(username);
    if (!user || user.kind === 'line') throw new ProtocolError('USER_NOT_FOUND', `No user ${username}`);
    return { userId: user.userId, username: user.username, displayName: user.displayName };
  };
  /** The line, if the asker may see it: supervisors and admins every open line, members their own. */
  const visibleLine = async (req: Request): Promise<StoredLine> => {
    const user = await me(req);
    const { lineId } = parseOrThrow(LinePathParams, req.params, 'line');
    const line = await deps.lines.require(lineId);
    if (await deps.roles.has(user, 'supervisor')) return line;
    if ((await deps.lines.linesOf(user.userId)).some((ref) => ref.lineId === line.lineId)) return line;
    throw new ProtocolError('LINE_NOT_FOUND', `No line ${lineId}`);
  };
  const member = async (line: StoredLine, user: UserIdentity, addedAt: string): Promise<LineMember> => {
    const view = await deps.agents.viewOf(user.userId);
    if (!view) throw new ProtocolError('USER_NOT_FOUND', `No user ${user.username}`);
    return { ...user, addedAt, agent: { user: view.user, state: view.state, reason: view.reason, since: view.since } };
  };

  router.get('/lines', async (req, res) => {
    const user = await me(req);
    const lines = (await deps.roles.has(user, 'supervisor')) ? await deps.lines.list() : await deps.lines.list(user.userId);
    res.json({ lines: lines.map(publicLine) });
  });
  router.post('/lines', async (req, res) => {
    await requireRole(req, 'admin');
    const input = parseOrThrow(CreateLineRequest, req.body, 'line');
    res.status(201).json({ line: publicLine(await deps.lines.create(input)) });
  });
  router.get('/lines/:lineId', async (req, res) => {
    res.json({ line: publicLine(await visibleLine(req)) });
  });
  router.patch('/lines/:lineId', async (req, res) => {
    await requireRole(req, 'admin');
    const { lineId } = parseOrThrow(LinePathParams, req.params, 'line');
    const patch = parseOrThrow(UpdateLineRequest, req.body, 'line change');
    const line = await deps.lines.require(lineId);
    const updated = await deps.lines.update(line.lineId, patch);
    deps.onLineChanged(line.lineId, (await deps.lines.members(line.lineId)).map((m) => m.userId));
    res.json({ line: publicLine(updated) });
  });
  router.delete('/lines/:lineId', async (req, res) => {
    await requireRole(req, 'admin');
    const { lineId } = parseOrThrow(LinePathParams, req.params, 'line');
    const line = await deps.lines.require(lineId);
    await deps.lines.close(line.lineId);
    deps.onLineChanged(line.lineId, (await deps.lines.members(line.lineId)).map((m) => m.userId));
    res.status(204).end();
  });
  router.get('/lines/:lineId/members', async (req, res) => {
    await requireRole(req, 'supervisor');
    const { lineId } = parseOrThrow(LinePathParams, req.params, 'line');
    const line = await deps.lines.require(lineId);
    const members = [];
    for (const m of await deps.lines.members(line.lineId)) members.push(await member(line, m, m.addedAt));
    res.json({ members });
  });
  router.put('/lines/:lineId/members/:username', async (req, res) => {
    await requireRole(req, 'admin');
    const params = parseOrThrow(MemberPathParams, req.params, 'member');
    const line = await deps.lines.require(params.lineId);
    const user = await person(params.username);
    const addedAt = await deps.lines.addMember(line.lineId, user.userId);
    deps.onLineChanged(line.lineId, [user.userId]);
    res.json({ member: await member(line, user, addedAt) });
  });
  router.delete('/lines/:lineId/members/:username', async (req, res) => {
    await requireRole(req, 'admin');
    const params = parseOrThrow(MemberPathParams, req.params, 'member');
    const line = await deps.lines.require(params.lineId);
    const user = await person(params.username);
    if (!(await deps.lines.removeMember(line.lineId, user.userId))) throw new ProtocolError('USER_NOT_FOUND', `${user.username} is not a member of ${line.name}`);
    deps.onLineChanged(line.lineId, [user.userId]);
    res.status(204).end();
  });
  router.get('/lines/:lineId/records', async (req, res) => {
    await requireRole(req, 'supervisor');
    const { lineId } = parseOrThrow(LinePathParams, req.params, 'line');
    const query = parseOrThrow(RecordsQuery, req.query, 'records query');
    const line = await deps.lines.require(lineId);
    const result = await deps.records.between(line, query.from, query.to);
    if (query.format === 'csv') {
      res.set('content-type', 'text/csv; charset=utf-8');
      res.set('content-disposition', `attachment; filename="${line.name}-${query.from}-${query.to}.csv"`);
      res.send(deps.records.toCsv(result.records));
      return;
    }
    res.json(result);
  });
  router.get('/users/:username/roles', async (req, res) => {
    await requireRole(req, 'admin');
    const user = await person(parseOrThrow(UserPathParams, req.params, 'user').username);
    res.json({ user, roles: await deps.roles.of(user), stored: await deps.roles.stored(user.userId) });
  });
  router.put('/users/:username/roles', async (req, res) => {
    const admin = await requireRole(req, 'admin');
    const user = await person(parseOrThrow(UserPathParams, req.params, 'user').username);
    const { roles } = parseOrThrow(RolesRequest, req.body, 'roles');
    await deps.roles.set(user.userId, roles, admin.userId);
    res.json({ user, roles: await deps.roles.of(user), stored: await deps.roles.stored(user.userId) });
  });
  return router;
}
