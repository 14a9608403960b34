import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * The web host's Content-Security-Policy: the desktop renderer's (electron/main/csp.ts), directive for
 * directive. The page talks only to the service that served it, so `connect-src 'self'` covers the API
 * and the signalling WebSocket (CSP 3: 'self' matches ws:/wss: of the same host).
 */
export const WEB_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:', 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameSrc: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * helmet on every response: the CSP above (no upgrade-insecure-requests: a local `npm start` is plain
 * http), X-Frame-Options DENY, X-Content-Type-Options nosniff, Referrer-Policy no-referrer, and
 * helmet's other defaults (HSTS, which browsers ignore over http; COOP/CORP same-origin; ...).
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: WEB_CSP_DIRECTIVES },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** Nothing under /api may be stored by a browser or a proxy: tokens, the user, history. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('cache-control', 'no-store');
  next();
};
