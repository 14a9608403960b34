import express, { type RequestHandler, Router } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Serves the built web client from WEB_ROOT (when it exists), with an index.html fallback for client routes. */
export function staticWeb(webRoot: string): Router | undefined {
  const root = resolve(webRoot);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return undefined;
  const router = Router();
  router.use(express.static(root, { index: 'index.html', maxAge: '1h' }));
  const spaFallback: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' || req.path.startsWith('/api/') || req.path.startsWith('/socket.io/')) return next();
    res.sendFile(index);
  };
  router.use(spaFallback);
  return router;
}
