import { Router, type RequestHandler } from 'express';
import type { AccountService } from '../auth/account-service';
import { authedUserId } from './require-auth';

/** GET /api/me: the signed-in user. */
export function meRoutes(accounts: AccountService, auth: RequestHandler): Router {
  const router = Router();
  router.use(auth);
  router.get('/', (req, res) => {
    res.json({ user: accounts.requireUser(authedUserId(req)) });
  });
  return router;
}
