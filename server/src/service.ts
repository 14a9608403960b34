import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { AccountService } from './auth/account-service';
import { resolveJwtSecret } from './auth/jwt-secret';
import { TokenService } from './auth/tokens';
import { combineHooks, type CallHooks } from './calls/call-hooks';
import { TransferRepo } from './transfers/transfer-repo';
import { TransferService } from './transfers/transfer-service';
import type { CallContext } from './calls/call-context';
import { guardedClock, systemClock, type Clock } from './calls/call-context';
import { CallRegistry } from './calls/call-registry';
import { CallService } from './calls/call-service';
import { registerCallTimers } from './calls/call-timers';
import { DeviceSessions } from './calls/device-sessions';
import { inviteLimiter } from './calls/invite-limiter';
import { RecordWriter } from './calls/record-writer';
import { MemoryResumeState } from './calls/resume-state';
import { SignalRelay } from './calls/signal-relay';
import { ClusterPresence, clusterFacts } from './cluster/cluster-presence';
import { localFacts } from './presence/presence-facts';
import { DeviceDirectory } from './cluster/device-directory';
import { openProfile } from './cluster/profile';
import { RedisResumeState } from './cluster/redis-resume-state';
import type { Config } from './config';
import { CallsRepo } from './db/calls-repo';
import { lockDataDir } from './db/data-dir-lock';
import { openStore, type Store } from './db/database';
import { HistoryRepo } from './db/history-repo';
import { SessionsRepo } from './db/sessions-repo';
import { UsersRepo } from './db/users-repo';
import type { ExtensionFactory } from './extension';
import { createHttpApp } from './http/app';
import { authRoutes } from './http/auth-routes';
import { requireAuth } from './http/require-auth';
import { ServiceOrigin } from './http/service-origin';
import { lineRoutes } from './http/line-routes';
import { userRoutes } from './http/user-routes';
import { LineRecords } from './lines/line-records';
import { LineCalls } from './lines/line-calls';
import { QueueRepo } from './lines/queue-repo';
import { QueueService, LINE_MAX_WAIT_TIMER, LINE_OFFER_TIMER } from './lines/queue-service';
import { isLineCapable } from './lines/line-version';
import { isLegacyClient } from './socket/legacy-payloads';
import { LoginThrottle, registrationLimiter } from './limits/account-limits';
import { signalLimiter } from './limits/signal-limits';
import type { Logger } from './logger';
import { PresenceService } from './presence/presence-service';
import { ClusterDevices } from './socket/cluster-devices';
import { ConnectionRegistry } from './socket/connections';
import { createGateway, publishPresence, socketDelivery } from './socket/gateway';
import { handshakeMiddleware } from './socket/handshake';
import { socketRequestAllowed } from './socket/origin-check';
import { SessionLifetime } from './socket/session-lifetime';
import type { IoServer } from './socket/socket-types';
import { StartupError } from './startup-error';
import { ProtocolError } from '../../shared/protocol';
import { Roles } from './auth/roles';
import { AgentStatusReader } from './lines/agent-status';
import { LineRepo } from './lines/line-repo';
import { LineService } from './lines/line-service';
import { LineViews } from './lines/line-view';
import { WrapUps } from './lines/wrap-ups';
import { LineDirectory } from './lines/line-directory';
import { wrapUpOnEnd } from './lines/wrap-up-on-end';

export const SERVER_VERSION = '0.1.0';

/** Expired and revoked sessions are deleted this long after they ended, checked this often (with ended calls' device rows). */
const SESSION_PURGE = { keepMs: 7 * 24 * 3_600_000, everyMs: 6 * 3_600_000 };

export interface RunningService {
  port: number;
  httpServer: HttpServer;
  /** SIGTERM path: drain (/healthz 503 for DRAIN_MS), stop accepting, tell clients session:shutdown, close sockets, checkpoint and close SQLite, release DATA_DIR. */
  shutdown(): Promise<void>;
}

export interface ServiceOptions {
  extensions?: ExtensionFactory[];
  clock?: Clock;
}

/**
 * The composition root: storage, accounts, HTTP API and socket.io on one port. Start-up order:
 * lock DATA_DIR (a second server stops here), open the database, bind the port (a busy port stops
 * here, before anything is changed), recover the calls that were open, then accept devices.
 */
export async function startService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  const upSince = Date.now();
  const clock = guardedClock(options.clock ?? systemClock, logger);
  const profile = await openProfile(config, logger, clock);
  let lock;
  let store: Store;
  try {
    lock = lockDataDir(config.DATA_DIR);
    store = await openStore({ dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL, logger });
  } catch (error) {
    lock?.release();
    await profile.close();
    throw error;
  }
  const { db } = store;
  const users = new UsersRepo(db);
  // A line call's end commits its agent's wrap-up with it (D8).
  const wrapUps = new WrapUps(db);
  const callsRepo = new CallsRepo(store, wrapUpOnEnd(wrapUps));
  const sessionsRepo = new SessionsRepo(db);
  const tokens = new TokenService({
    secret: jwtSecret(config),
    accessTtlSeconds: config.ACCESS_TOKEN_TTL,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL,
  });
  const accounts = new AccountService(users, sessionsRepo, tokens, {
    login: new LoginThrottle({
      freeFailures: config.LOGIN_FREE_FAILURES,
      maxDelayS: config.LOGIN_MAX_DELAY_S,
      addressFailures: config.LOGIN_ADDRESS_FAILURE_LIMIT,
      addressWindowS: config.LOGIN_ADDRESS_WINDOW_S,
    }, profile.limiters),
    register: registrationLimiter(config.REGISTER_RATE_LIMIT, config.REGISTER_RATE_WINDOW_S, profile.limiters),
  });
  const authenticate = (token: string) => accounts.authenticate(token);
  const auth = requireAuth(authenticate);
  const connections = new ConnectionRegistry();
  const registry = new CallRegistry();
  let port = config.PORT;
  const origin = new ServiceOrigin({ publicUrl: config.PUBLIC_URL, allowedHosts: config.ALLOWED_HOSTS, port: () => port });

  const extensions = (options.extensions ?? []).map((factory) =>
    factory({
      config,
      db,
      users,
      logger,
      auth,
      isDeviceOnline: (userId, deviceId) => connections.get(userId, deviceId) !== undefined,
      timers: profile.timers,
      soleWriter: profile.soleWriter,
      // The only writer: its registry is the truth. Shared Postgres: the stored call (another node may have moved it).
      isCallRinging: async (callId) => (profile.soleWriter ? registry.get(callId)?.status : (await callsRepo.findOpen(callId))?.status) === 'ringing',
    }),
  );
  let transfers: TransferService | null = null;
  const transferHooks: CallHooks = {
    onCallEnded: (call, end) =>
      void transfers?.callEnded(call, end.endReason).catch((error: unknown) => logger.error({ err: error, callId: call.callId }, 'a transfer could not follow its call ending')),
  };
  // The lines module's call hooks (wrap-up, dispatch when an agent may be free), bound once it exists below.
  let lineHooks: CallHooks = {};
  const hooks = combineHooks(
    [
      ...extensions.flatMap((extension) => extension.hooks ?? []),
      transferHooks,
      {
        onCallEnded: (call, end) => lineHooks.onCallEnded?.(call, end),
        onDeviceConnected: (userId, deviceId) => lineHooks.onDeviceConnected?.(userId, deviceId),
      },
    ],
    (error, hook) => logger.error({ err: error, hook }, 'call hook failed'),
  );

  const directory = profile.redis ? new DeviceDirectory(profile.redis, profile.nodeId) : null;
  const hasLocalDevice = (userId: string) => connections.devicesOf(userId).length > 0;
  const localSources = { hasOnlineDevice: hasLocalDevice, isInActiveCall: (userId: string) => registry.isInActiveCall(userId) };
  // Who is connected / in a call: this process on the single profile, the shared state on the cluster profile.
  const facts =
    profile.redis && directory
      ? clusterFacts({ directory, nodeId: profile.nodeId, hasLocalDevice, inAnsweredCalls: (userIds) => callsRepo.inAnsweredCalls(userIds) })
      : localFacts(localSources);
  const presence = new PresenceService(
    localSources,
    users,
    (userId, status) => publishPresence(io)(userId, status),
    profile.redis && directory ? new ClusterPresence({ redis: profile.redis, directory, facts, choicesOf: (userIds) => users.presenceChoicesOf(userIds) }) : null,
    (error) => logger.warn({ event: 'presence-failed', err: (error as Error).message }, 'could not publish a presence change (redis or database down?)'),
  );
  const ctx: CallContext = {
    registry,
    repo: callsRepo,
    writer: new RecordWriter(clock, logger, profile.soleWriter),
    delivery: socketDelivery(connections),
    clock,
    timers: profile.timers,
    resume: profile.redis ? new RedisResumeState(profile.redis, config.CALL_RESUME_GRACE_MS, logger) : new MemoryResumeState(),
    hooks,
    settings: { ringTimeoutMs: config.RING_TIMEOUT_MS, resumeGraceMs: config.CALL_RESUME_GRACE_MS, soleWriter: profile.soleWriter },
    logger,
    onCallStateChanged: (userId) => presence.refresh(userId),
  };
  const relay = new SignalRelay(ctx);
  const sessions = new DeviceSessions(ctx, relay);
  const stopCallTimers = registerCallTimers(ctx, sessions);
  const invites = inviteLimiter(
    { perCaller: config.INVITE_RATE_LIMIT, perCallee: config.INCOMING_INVITE_RATE_LIMIT, windowS: config.INVITE_RATE_WINDOW_S },
    profile.limiters,
  );
  const signalLimits = signalLimiter(
    { messages: config.SIGNAL_RATE_LIMIT, bytes: config.SIGNAL_BYTE_LIMIT, windowS: config.SIGNAL_RATE_WINDOW_S },
    profile.limiters,
  );
  const calls = new CallService(ctx, users, invites, relay, signalLimits);
  // Known for this node's sockets; a device on another node (cluster) is taken as capable.
  const lineCapableDevice = (userId: string, deviceId: string) => {
    const socket = connections.get(userId, deviceId);
    return !socket || isLineCapable(socket.data.protocolVersion);
  };
  const lineRepo = new LineRepo(store);
  const queueRepo = new QueueRepo(db);
  const roles = new Roles(db, new Set(config.ADMIN_USERS));
  const agents = new AgentStatusReader(db, lineRepo, wrapUps, facts);
  const pushAgent = (userId: string) => void lines.pushAgentStatus(userId).catch((error: unknown) => logger.warn({ err: error, userId }, 'agent status push failed'));
  const queue = new QueueService({
    ctx,
    repo: queueRepo,
    lines: lineRepo,
    users,
    agents,
    facts,
    maxWaiting: config.LINE_MAX_WAITING,
    lineCapableDevice,
    agentChanged: pushAgent,
    lineChanged: (lineId) => lines.lineChanged(lineId),
    queueRefreshMs: config.LINE_QUEUE_REFRESH_MS,
    callerAwayInCall: (call, lastSeenAt) => sessions.answeredWhileAway(call, call.caller.userId, call.callerDeviceId, lastSeenAt),
  });
  transfers = new TransferService(ctx, new TransferRepo(store), users, calls, {
    lineOf: async (userId) => {
      const line = await lineRepo.find(userId);
      if (!line || line.lineId !== userId) return null;
      return line.closedAt === null ? line : 'closed';
    },
    lineOfCall: (callId) => lineRepo.openLineOfCall(callId),
    takesCallers: (lineId) => queue.takesCallers(lineId),
    canQueue: (userId, deviceId) => lineCapableDevice(userId, deviceId),
    armMaxWait: (entry) => queue.armMaxWait(entry),
    enqueueTx: (trx, entry) => queueRepo.enqueueTx(trx, entry),
    movedIn: (entryId, notice) => queue.movedIn(entryId, notice),
  });
  // The same test as for a line's queue: a device on another node (cluster) is taken as current.
  transfers.versions = { isOutdated: (userId, deviceId) => !lineCapableDevice(userId, deviceId) };
  const transferService = transfers;
  calls.setTransferLegs({ answerTx: (call, trx) => transferService.legAnswerTx(call, trx), answered: (call) => transferService.legAnswered(call) });
  const lineCalls = new LineCalls({ ctx, lines: lineRepo, wrapUps, queue, agentChanged: pushAgent });
  // An agent lost past the grace: a transfer it runs resolves first (D15); else a line call requeues its customer.
  sessions.onGraceExpired(
    async (call, userId, deviceId, lastSeenAt) => (await transferService.transferorLost(call, userId, deviceId)) || lineCalls.agentLost(call, userId, deviceId, lastSeenAt),
  );
  lineHooks = lineCalls.hooks();
  const lines = new LineService({
    lines: lineRepo,
    roles,
    wrapUps,
    agents,
    views: new LineViews(db, lineRepo, agents),
    presence,
    logger,
    io: () => io,
    clustered: profile.redis !== null,
    onChosen: async (userId, status) => {
      if (status === 'online') {
        await db.updateTable('agent_states').set({ idle_since: new Date(clock.now()).toISOString() }).where('user_id', '=', userId).where('offer_entry_id', 'is', null).execute();
        await queue.agentMayBeFree(userId);
      } else {
        await queue.withdrawOffersOf(userId);
      }
    },
    onWrapUpEnded: (userId, callId) => lineCalls.wrapUpEnded(userId, callId),
    queuedCallsOf: (userId, deviceId) => queue.queuedCallsOf(userId, deviceId),
  });
  calls.lineInvites = async (actor, callee, input) => {
    const line = await lineRepo.find(callee.userId);
    // A closed line, or a client too old to show a queue: no one to call (it is told to update).
    if (!line || line.closedAt !== null) throw new ProtocolError('USER_NOT_FOUND', `No user ${callee.username}`);
    if (!isLineCapable(actor.protocolVersion)) throw new ProtocolError('USER_NOT_FOUND', `${callee.username} is a service line: update the app to call it`);
    return queue.enqueue(actor, line, input.media);
  };

  let draining = false;
  const app = createHttpApp({
    logger,
    draining: () => draining,
    origin,
    corsOrigins: config.CORS_ORIGINS,
    webRoot: config.WEB_ROOT,
    version: SERVER_VERSION,
    apiRouters: [
      { path: '/auth', router: authRoutes(accounts) },
      ...extensions.flatMap((extension) => (extension.router ? [{ path: '/', router: extension.router }] : [])),
      {
        path: '/',
        router: lineRoutes({
          auth,
          accounts,
          users,
          lines: lineRepo,
          roles,
          agents,
          records: new LineRecords(db),
          onLineChanged: (lineId, userIds) => {
            for (const userId of userIds) void lines.pushAgentStatus(userId).catch((error: unknown) => logger.warn({ err: error, userId }, 'agent status push failed'));
            lines.lineChanged(lineId);
          },
        }),
      },
      {
        path: '/',
        router: userRoutes({
          auth,
          accounts,
          users,
          history: new HistoryRepo(store),
          presence,
          lineDirectory: new LineDirectory({ users, lines: lineRepo, agents, roles }),
          ice: { stunUrls: config.STUN_URLS, turnUrls: config.TURN_URLS, turnSecret: config.TURN_SECRET, turnTtlSeconds: config.TURN_TTL },
          // An HTTP request says no version: the session's socket on this node does (none here: current).
          legacySession: (userId, sessionId) => connections.socketsOf(userId).some((socket) => socket.data.sessionId === sessionId && isLegacyClient(socket.data.protocolVersion)),
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
    allowRequest: socketRequestAllowed(origin, config.CORS_ORIGINS),
    pingInterval: config.HEARTBEAT_INTERVAL_MS,
    pingTimeout: config.HEARTBEAT_TIMEOUT_MS,
  });
  profile.attach(io);
  const cluster = directory ? new ClusterDevices(io, directory, connections, logger, config.MAX_DEVICES_PER_USER, (userId) => presence.refresh(userId)) : null;
  if (cluster) ctx.delivery = cluster.delivery();
  // A line changed on another node: this node's watchers of it get a fresh view (built here only if it has any).
  io.on('line:changed', (lineId) => void lines.publishView(lineId).catch((error: unknown) => logger.warn({ err: error, lineId }, 'line view push failed')));

  let accepting = false;
  const lifetime = new SessionLifetime(io, authenticate);
  accounts.onSessionRevoked((_userId, sessionId, reason) => lifetime.revoked(sessionId, reason));
  io.use(
    handshakeMiddleware(authenticate, () => accepting, async (data) => {
      await calls.refreshCallsOf(data.user.userId, data.deviceId);
      if (cluster) await presence.reloadChoiceOf(data.user.userId); // chosen on another node, perhaps
      data.lineSession = await lines.session(data.user, data.deviceId);
    }),
  );
  if (cluster) io.use(cluster.admit());
  io.on(
    'connection',
    createGateway({
      connections,
      calls,
      transfers: transferService,
      sessions,
      presence,
      lines,
      queue,
      repo: callsRepo,
      hooks,
      lifetime,
      maxDevicesPerUser: config.MAX_DEVICES_PER_USER,
      logger,
      cluster,
    }),
  );

  try {
    await listen(httpServer, config.PORT, config.HOST);
  } catch (error) {
    io.close();
    await store.close();
    lock.release();
    await profile.close();
    throw error;
  }
  port = (httpServer.address() as AddressInfo).port;

  // A node that died ran no disconnect handlers: its devices go offline (and their calls' grace starts) here.
  // The survivor that noticed may never have seen those calls (placed and answered on other nodes): it reads
  // the user's open calls from storage first, as for a connecting device.
  profile.liveness?.onDeadNode(async (nodeId, lastBeatAt) => {
    for (const lost of cluster ? await cluster.sweepNode(nodeId) : []) {
      const user = await users.findById(lost.userId);
      if (!user) continue;
      await calls.refreshCallsOf(user.userId); // this node may not know their calls: the grace must start anyway
      sessions.disconnected({ user, deviceId: lost.deviceId }, lastBeatAt);
      await queue.callerGone(user.userId, lost.deviceId, lastBeatAt).catch((error: unknown) => logger.warn({ event: 'line-caller-away-failed', err: error, userId: user.userId }, 'could not keep a lost caller\'s place in line'));
      presence.refresh(lost.userId);
    }
  });
  // This node was declared dead while it ran (paused or starved past the heartbeat TTL): the survivors took its
  // devices out of the directory and started their calls' grace. Every connection is closed as a restart would
  // close it (no disconnect packet, which a client would not retry by itself), so each device connects again
  // (here or on another node), registers and resumes its calls.
  profile.liveness?.onDeclaredDead(() => {
    for (const socket of io.sockets.sockets.values()) socket.conn.close();
  });
  profile.liveness?.start();
  // Only now, with the port ours, may the open calls of the last run be touched.
  await presence.load();
  if (profile.name === 'single') {
    // The only node: the open queue entries' and wrap-ups' timers come back (the cluster keeps them in Redis).
    for (const entry of await new QueueRepo(db).allOpen()) {
      await profile.timers.schedule(LINE_MAX_WAIT_TIMER, entry.id, Date.parse(entry.giveUpAt));
      if (entry.state === 'offered' && entry.offerUntil) await profile.timers.schedule(LINE_OFFER_TIMER, `${entry.id}/${entry.offerRound}`, Date.parse(entry.offerUntil));
    }
    // Their callers are away, as every device is: each keeps its place for the resume grace (a restored call's rule).
    await queue.restoreCallerGraces(upSince);
    await lineCalls.restore();
  }
  // The only node (SQLite, or Postgres without REDIS_URL) owned every open call: it takes them all back
  // (ringing ones keep their deadline, answered ones wait for their devices' grace). One of several nodes
  // (REDIS_URL) takes nothing: the others hold live calls; a call is loaded when a device acts on it. With
  // Postgres, ringing calls past their deadline are swept (a safety net for a timer lost with its node).
  if (profile.name === 'single') {
    const recovered = await sessions.restore(await callsRepo.openCalls(), upSince);
    if (recovered.ringing + recovered.expired + recovered.restored > 0) logger.info({ event: 'calls-recovered', ...recovered }, 'recovered calls after restart');
  }
  // Old sessions, and the per-device rows of ended calls (they matter only while a call is open; purged here,
  // off the call's hot path, rather than with each end).
  const purge = () => Promise.all([sessionsRepo.purge(new Date(Date.now() - SESSION_PURGE.keepMs).toISOString()), callsRepo.purgeEndedCallDevices()]);
  runQuietly(purge, logger);
  const purgeTimer = setInterval(() => runQuietly(purge, logger), SESSION_PURGE.everyMs).unref();
  accepting = true;
  logger.info(
    { event: 'listening', host: config.HOST, port, dataDir: lock.dir, database: store.location, profile: profile.name, nodeId: profile.nodeId },
    'listening',
  );

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
      clearInterval(purgeTimer);
      sessions.freeze();
      stopCallTimers();
      await profile.timers.close();
      httpServer.close();
      io.emit('session:shutdown', { reconnectAfterMs: config.SHUTDOWN_RECONNECT_MS });
      // Let the shutdown notice reach the sockets before their transports close.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await io.close();
      for (const extension of extensions) await extension.close?.();
      await ctx.writer.flush();
      await profile.close();
      await store.close();
      lock.release();
    },
  };
}

function jwtSecret(config: Config): Uint8Array {
  try {
    return resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR);
  } catch (error) {
    throw new StartupError(`cannot read or create the JWT secret in DATA_DIR ${config.DATA_DIR}: ${(error as Error).message}`);
  }
}

function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.code === 'EACCES' ? 'permission denied' : error.message;
      reject(new StartupError(`cannot listen on ${host}:${port}: ${why}`));
    });
    server.listen(port, host, () => resolve());
  });
}

function runQuietly(work: () => Promise<unknown>, logger: Logger): void {
  work().catch((error: unknown) => logger.warn({ err: error }, 'clean-up of old sessions or call device rows failed'));
}
