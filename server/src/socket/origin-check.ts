import type { IncomingMessage } from 'node:http';
import type { ServiceOrigin } from '../http/service-origin';

/**
 * socket.io's `allowRequest`, for WebSocket upgrades and long-polling alike (a WebSocket upgrade is not
 * subject to CORS in browsers): refuses a Host header the service does not answer to, and any browser
 * Origin that is neither the service's own (from configuration) nor listed in CORS_ORIGINS. Clients
 * without an Origin header (Node, the Electron main process) pass the origin check.
 */
export function socketRequestAllowed(service: ServiceOrigin, allowed: readonly string[]) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    if (!service.hostAllowed(req.headers.host)) return callback('unknown host', false);
    const origin = req.headers.origin;
    const ok = !origin || service.isOwnOrigin(origin) || allowed.includes(origin);
    callback(ok ? null : 'origin not allowed', ok);
  };
}
