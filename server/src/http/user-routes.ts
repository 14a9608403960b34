import { Router, type RequestHandler } from 'express';
import { DirectoryQuery, HistoryQuery, parseOrThrow } from '../../../shared/protocol';
import type { AccountService } from '../auth/account-service';
import type { HistoryRepo } from '../db/history-repo';
import type { UsersRepo } from '../db/users-repo';
import type { PresenceService } from '../presence/presence-service';
import { iceServersFor, type IceSettings } from './ice-servers';
import { authedUserId } from './require-auth';

export interface UserRoutesDeps {
  auth: RequestHandler;
  accounts: AccountService;
  users: UsersRepo;
  history: HistoryRepo;
  presence: PresenceService;
  ice: IceSettings;
}

/** The signed-in user's API: /me, /directory, /history, /ice-servers. */
export function userRoutes(deps: UserRoutesDeps): Router {
  const router = Router();
  router.use(deps.auth);
  router.get('/me', async (req, res) => {
    res.json({ user: await deps.accounts.requireUser(authedUserId(req)) });
  });
  router.get('/directory', async (req, res) => {
    const query = parseOrThrow(DirectoryQuery, req.query, 'directory query');
    const me = authedUserId(req);
    const found = (await deps.users.search(query.q, query.limit + 1)).filter((user) => user.userId !== me).slice(0, query.limit);
    const statuses = await deps.presence.statusesOf(found.map((user) => user.userId));
    res.json({ users: found.map((user, index) => ({ ...user, presence: statuses[index]! })) });
  });
  router.get('/history', async (req, res) => {
    const query = parseOrThrow(HistoryQuery, req.query, 'history query');
    res.json(await deps.history.page(authedUserId(req), query));
  });
  router.get('/ice-servers', (req, res) => {
    res.set('cache-control', 'no-store');
    res.json(iceServersFor(deps.ice, authedUserId(req)));
  });
  return router;
}
