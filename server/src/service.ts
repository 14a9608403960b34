import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { AccountService } from './auth/account-service';
import { resolveJwtSecret } from './auth/jwt-secret';
import { TokenService } from './auth/tokens';
import { combineHooks } from './calls/call-hooks';
import type { CallContext } from './calls/call-context';
import { systemClock, type Clock } from './calls/call-context';
import { CallRegistry } from './calls/call-registry';
import { CallService } from './calls/call-service';
import { DeviceSessions } from './calls/device-sessions';
import { inviteLimiter } from './calls/invite-limiter';
import type { Config } from './config';
import { CallsRepo } from './db/calls-repo';
import { closeDatabase, openDatabase } from './db/database';
import { HistoryRepo } from './db/history-repo';
import { UsersRepo } from './db/users-repo';
import type { ExtensionFactory } from './extension';
import { createHttpApp } from './http/app';
import { authRoutes } from './http/auth-routes';
import { requireAuth } from './http/require-auth';
import { userRoutes } from './http/user-routes';
import type { Logger } from './logger';
import { PresenceService } from './presence/presence-service';
import { ConnectionRegistry } from './socket/connections';
import { createGateway, publishPresence, socketDelivery } from './socket/gateway';
import { handshakeMiddleware } from './socket/handshake';
import { originAllowed } from './socket/origin-check';
import type { IoServer } from './socket/socket-types';

export const SERVER_VERSION = '0.1.0';

export interface RunningService {
  port: number;
  httpServer: HttpServer;
  /** SIGTERM path: drain (/healthz 503 for DRAIN_MS), stop accepting, tell clients session:shutdown, close sockets, checkpoint and close SQLite. */
  shutdown(): Promise<void>;
}

export interface ServiceOptions {
  extensions?: ExtensionFactory[];
  clock?: Clock;
}

/** The composition root: storage, accounts, HTTP API and socket.io on one port. */
export async function startService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  const db = openDatabase(config.DATA_DIR);
  const users = new UsersRepo(db);
  const callsRepo = new CallsRepo(db);
  const tokens = new TokenService({
    secret: resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR),
    accessTtlSeconds: config.ACCESS_TOKEN_TTL,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL,
  });
  const accounts = new AccountService(users, tokens);
  const auth = requireAuth(tokens);
  const connections = new ConnectionRegistry();
  const registry = new CallRegistry();

  const extensions = (options.extensions ?? []).map((factory) =>
    factory({ config, db, users, logger, auth, isDeviceOnline: (userId, deviceId) => connections.get(userId, deviceId) !== undefined }),
  );
  const hooks = combineHooks(
    extensions.flatMap((extension) => extension.hooks ?? []),
    (error, hook) => logger.error({ err: error, hook }, 'call hook failed'),
  );

  const presence = new PresenceService(
    { hasOnlineDevice: (userId) => connections.devicesOf(userId).length > 0, isInActiveCall: (userId) => registry.isInActiveCall(userId) },
    users,
    (userId, status) => publishPresence(io)(userId, status),
  );
  const ctx: CallContext = {
    registry,
    repo: callsRepo,
    delivery: socketDelivery(connections),
    clock: options.clock ?? systemClock,
    hooks,
    settings: { ringTimeoutMs: config.RING_TIMEOUT_MS, resumeGraceMs: config.CALL_RESUME_GRACE_MS },
    logger,
    onCallStateChanged: (userId) => presence.refresh(userId),
  };
  const sessions = new DeviceSessions(ctx);
  const calls = new CallService(ctx, users, inviteLimiter(config.INVITE_RATE_LIMIT, config.INVITE_RATE_WINDOW_S));

  let draining = false;
  const app = createHttpApp({
    logger,
    draining: () => draining,
    corsOrigins: config.CORS_ORIGINS,
    webRoot: config.WEB_ROOT,
    version: SERVER_VERSION,
    apiRouters: [
      { path: '/auth', router: authRoutes(accounts) },
      ...extensions.flatMap((extension) => (extension.router ? [{ path: '/', router: extension.router }] : [])),
      {
        path: '/',
        router: userRoutes({
          auth,
          accounts,
          users,
          history: new HistoryRepo(db),
          presence,
          ice: { stunUrls: config.STUN_URLS, turnUrls: config.TURN_URLS, turnSecret: config.TURN_SECRET, turnTtlSeconds: config.TURN_TTL },
        }),
      },
    ],
  });
  // The app must be the server's request listener before socket.io attaches (it wraps existing listeners).
  const httpServer = createServer(app);
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: 64 * 1024,
    cors: { origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false },
    serveClient: false,
    allowRequest: originAllowed(config.CORS_ORIGINS),
  });

  const recovered = sessions.restore(callsRepo.openCalls());
  if (recovered.failed + recovered.restored > 0) logger.info({ event: 'calls-recovered', ...recovered }, 'recovered calls after restart');

  let accepting = true;
  io.use(handshakeMiddleware(tokens, accounts, () => accepting));
  io.on('connection', createGateway({ connections, calls, sessions, presence, repo: callsRepo, hooks, logger }));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ event: 'listening', host: config.HOST, port, dataDir: config.DATA_DIR }, 'listening');

  return {
    port,
    httpServer,
    async shutdown() {
      draining = true;
      if (config.DRAIN_MS > 0) {
        logger.info({ event: 'draining', drainMs: config.DRAIN_MS }, 'draining: /healthz answers 503');
        await new Promise((resolve) => setTimeout(resolve, config.DRAIN_MS));
      }
      accepting = false;
      sessions.freeze();
      httpServer.close();
      io.emit('session:shutdown', { reconnectAfterMs: config.SHUTDOWN_RECONNECT_MS });
      // Let the shutdown notice reach the sockets before their transports close.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await io.close();
      for (const extension of extensions) await extension.close?.();
      closeDatabase(db);
    },
  };
}
