import type { IncomingMessage } from 'node:http';

/**
 * socket.io's `cors` option only governs HTTP long-polling; a WebSocket upgrade is not subject to
 * CORS in browsers. This check refuses any browser Origin that is neither the server's own origin
 * nor listed in CORS_ORIGINS. Clients without an Origin header (Node, the Electron main process) pass.
 */
export function originAllowed(allowed: readonly string[]) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const origin = req.headers.origin;
    if (!origin) return callback(null, true);
    const sameOrigin = req.headers.host !== undefined && (origin === `http://${req.headers.host}` || origin === `https://${req.headers.host}`);
    const ok = sameOrigin || allowed.includes(origin);
    callback(ok ? null : 'origin not allowed', ok);
  };
}
