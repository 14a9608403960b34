import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { AccountService } from './auth/account-service';
import { resolveJwtSecret } from './auth/jwt-secret';
import { TokenService } from './auth/tokens';
import type { Config } from './config';
import { closeDatabase, openDatabase } from './db/database';
import { UsersRepo } from './db/users-repo';
import { createHttpApp } from './http/app';
import { authRoutes } from './http/auth-routes';
import { meRoutes } from './http/me-routes';
import { requireAuth } from './http/require-auth';
import type { Logger } from './logger';
import { handshakeMiddleware } from './socket/handshake';
import type { IoServer } from './socket/socket-types';

export const SERVER_VERSION = '0.1.0';

export interface RunningService {
  port: number;
  httpServer: HttpServer;
  shutdown(): Promise<void>;
}

/** The composition root: storage, accounts, HTTP API and socket.io on one port. */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  const db = openDatabase(config.DATA_DIR);
  const users = new UsersRepo(db);
  const tokens = new TokenService({
    secret: resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR),
    accessTtlSeconds: config.ACCESS_TOKEN_TTL,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL,
  });
  const accounts = new AccountService(users, tokens);
  const auth = requireAuth(tokens);

  const app = createHttpApp({
    logger,
    corsOrigins: config.CORS_ORIGINS,
    webRoot: config.WEB_ROOT,
    version: SERVER_VERSION,
    apiRouters: [
      { path: '/auth', router: authRoutes(accounts) },
      { path: '/me', router: meRoutes(accounts, auth) },
    ],
  });
  const httpServer = createServer(app);
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: 64 * 1024,
    cors: { origin: config.CORS_ORIGINS.length > 0 ? config.CORS_ORIGINS : false },
    serveClient: false,
  });
  let accepting = true;
  io.use(handshakeMiddleware(tokens, accounts, () => accepting));
  io.on('connection', (socket) => {
    const { user, deviceId } = socket.data;
    socket.emit('session:ready', {
      user,
      deviceId,
      serverTime: new Date().toISOString(),
      presence: 'online',
      pendingInvites: [],
      outgoingCalls: [],
      activeCalls: [],
    });
  });

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
      accepting = false;
      httpServer.close();
      io.emit('session:shutdown', { reconnectAfterMs: config.SHUTDOWN_RECONNECT_MS });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await io.close();
      closeDatabase(db);
    },
  };
}
