import { Router } from 'express';
import { LoginRequest, parseOrThrow, RefreshRequest, RegisterRequest } from '../../../shared/protocol';
import type { AccountService } from '../auth/account-service';

/** POST /api/auth/register | login | refresh. */
export function authRoutes(accounts: AccountService): Router {
  const router = Router();
  router.post('/register', async (req, res) => {
    const input = parseOrThrow(RegisterRequest, req.body, 'registration');
    res.status(201).json(await accounts.register(input));
  });
  router.post('/login', async (req, res) => {
    res.json(await accounts.login(parseOrThrow(LoginRequest, req.body, 'login')));
  });
  router.post('/refresh', async (req, res) => {
    res.json(await accounts.refresh(parseOrThrow(RefreshRequest, req.body, 'refresh request').refreshToken));
  });
  return router;
}
