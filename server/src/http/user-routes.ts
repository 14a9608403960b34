import { Router, type RequestHandler } from 'express';
import { DirectoryQuery, HistoryQuery, parseOrThrow } from '../../../shared/protocol';
import type { AccountService } from '../auth/account-service';
import type { HistoryRepo } from '../db/history-repo';
import type { UsersRepo } from '../db/users-repo';
import type { LineDirectory } from '../lines/line-directory';
import type { PresenceService } from '../presence/presence-service';
import { iceServersFor, type IceSettings } from './ice-servers';
import { legacyHistory } from '../socket/legacy-payloads';
import { authedSessionId, authedUserId } from './require-auth';

export interface UserRoutesDeps {
  auth: RequestHandler;
  accounts: AccountService;
  users: UsersRepo;
  history: HistoryRepo;
  presence: PresenceService;
  lineDirectory: LineDirectory;
  ice: IceSettings;
  /** True when the session's app speaks a protocol before 1.3 (known from its connected socket; else false). */
  legacySession: (userId: string, sessionId: string) => boolean;
}

/** The signed-in user's API: /me (with roles and lines), /directory (people and lines), /history, /ice-servers. */
export function userRoutes(deps: UserRoutesDeps): Router {
  const router = Router();
  router.use(deps.auth);
  router.get('/me', async (req, res) => {
    const user = await deps.accounts.requireUser(authedUserId(req));
    res.json({ user, ...(await deps.lineDirectory.of(user)) });
  });
  router.get('/directory', async (req, res) => {
    const query = parseOrThrow(DirectoryQuery, req.query, 'directory query');
    const me = authedUserId(req);
    const [people, lines] = await Promise.all([deps.users.search(query.q, query.limit + 1), deps.lineDirectory.search(query.q, query.limit)]);
    const found = people.filter((user) => user.userId !== me).slice(0, query.limit);
    const statuses = await deps.presence.statusesOf(found.map((user) => user.userId));
    res.json({ users: found.map((user, index) => ({ ...user, presence: statuses[index]! })), lines });
  });
  router.get('/history', async (req, res) => {
    const query = parseOrThrow(HistoryQuery, req.query, 'history query');
    const userId = authedUserId(req);
    const page = await deps.history.page(userId, query);
    res.json(deps.legacySession(userId, authedSessionId(req)) ? legacyHistory(page) : page);
  });
  router.get('/ice-servers', (req, res) => {
    res.set('cache-control', 'no-store');
    res.json(iceServersFor(deps.ice, authedUserId(req)));
  });
  return router;
}
