import cors from 'cors';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { PROTOCOL_VERSION, type ErrorBody } from '../../../shared/protocol';
import type { Logger } from '../logger';
import { errorHandler, notFound } from './http-errors';
import { noStore, securityHeaders } from './security-headers';
import type { ServiceOrigin } from './service-origin';
import { staticWeb } from './static-web';

export interface HttpAppOptions {
  logger: Logger;
  /** Which Host headers the service answers (from configuration). */
  origin: ServiceOrigin;
  /** Allowed CORS origins; empty = same origin only. */
  corsOrigins: string[];
  webRoot: string;
  /** Routers mounted under /api, each at its path. */
  apiRouters: Array<{ path: string; router: Router }>;
  version: string;
  /** True while the service drains before a shutdown: /healthz answers 503 so a load balancer stops sending clients. */
  draining?: () => boolean;
}

/** Requests naming a host the service does not answer to get 421 UNKNOWN_HOST (DNS rebinding). */
function hostCheck(origin: ServiceOrigin): RequestHandler {
  return (req, res, next) => {
    if (origin.hostAllowed(req.get('host'))) return next();
    const body: ErrorBody = { code: 'UNKNOWN_HOST', message: 'This service does not answer to that host name' };
    res.status(421).json({ error: body });
  };
}

/** The HTTP side: /healthz, the JSON API under /api, and the web client at /. */
export function createHttpApp(options: HttpAppOptions): Express {
  const startedAt = Date.now();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(hostCheck(options.origin));
  app.use(securityHeaders());
  app.get('/healthz', (_req, res) => {
    if (options.draining?.()) return void res.status(503).end();
    res.json({ status: 'ok', version: options.version, protocolVersion: PROTOCOL_VERSION, uptimeSeconds: (Date.now() - startedAt) / 1000 });
  });

  const api = express.Router();
  api.use(noStore);
  api.use(cors({ origin: options.corsOrigins.length > 0 ? options.corsOrigins : false }));
  api.use(express.json({ limit: '64kb' }));
  for (const { path, router } of options.apiRouters) api.use(path, router);
  api.use(notFound);
  api.use(errorHandler(options.logger));
  app.use('/api', api);

  const web = staticWeb(options.webRoot);
  if (web) app.use(web);
  app.use((_req, res) => {
    const body: ErrorBody = { code: 'NOT_FOUND', message: 'Not found' };
    res.status(404).json({ error: body });
  });
  return app;
}
