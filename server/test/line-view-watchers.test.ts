import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, expect, it, vi } from 'vitest';
import type { LineView } from '../../shared/protocol';
import { Roles } from '../src/auth/roles';
import { openStore, type Store } from '../src/db/database';
import { UsersRepo } from '../src/db/users-repo';
import { AgentStatusReader } from '../src/lines/agent-status';
import { LineRepo } from '../src/lines/line-repo';
import { LineService, lineWatchRoom } from '../src/lines/line-service';
import { LineViews } from '../src/lines/line-view';
import { WrapUps } from '../src/lines/wrap-ups';
import { createLogger } from '../src/logger';
import { localFacts } from '../src/presence/presence-facts';
import { PresenceService } from '../src/presence/presence-service';
import type { IoServer } from '../src/socket/socket-types';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The line service over a real store, with a real socket.io server a real client watches lines through. */
async function rig() {
  const dir = mkdtempSync(join(tmpdir(), 'line-view-'));
  const logger = createLogger('silent');
  const store: Store = await openStore({ dataDir: dir, logger });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
  const users = new UsersRepo(store.db);
  const supervisor = { userId: randomUUID(), username: `sup${randomUUID().slice(0, 6)}`, displayName: 'Sup' };
  await users.insert({ ...supervisor, passwordHash: 'x' });
  const lines = new LineRepo(store);
  const line = await lines.create({ name: `line${randomUUID().slice(0, 6)}`, displayName: 'Line' });
  const sources = { hasOnlineDevice: () => false, isInActiveCall: () => false };
  const wrapUps = new WrapUps(store.db);
  const agents = new AgentStatusReader(store.db, lines, wrapUps, localFacts(sources));
  const views = new LineViews(store.db, lines, agents);
  const httpServer = createServer();
  const io: IoServer = new Server(httpServer);
  const service = new LineService({ lines, roles: new Roles(store.db, new Set([supervisor.username])), wrapUps, agents, views, presence: new PresenceService(sources, users, () => undefined), logger, io: () => io, clustered: false, queuedCallsOf: () => Promise.resolve([]) });
  io.use((socket, next) => {
    socket.data.user = supervisor;
    next();
  });
  io.on('connection', (socket) => socket.on('line:watch', (input, ack) => void service.watch(socket, input.lineIds).then((result) => ack({ ok: true, ...result }))));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise<void>((resolve) => void io.close(() => resolve())));
  const { port } = httpServer.address() as { port: number };
  const watch = async (): Promise<Socket> => {
    const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false });
    cleanup.push(() => void client.close());
    await new Promise<unknown>((resolve) => client.emit('line:watch', { lineIds: [line.lineId] }, resolve));
    return client;
  };
  return { service, views, line, io, watch };
}

it('a line view is built only where someone watches the line: nobody watching, no reads (200 agents were 200 rows per change)', async () => {
  const { service, views, line, io, watch } = await rig();
  const build = vi.spyOn(views, 'build');

  await service.publishView(line.lineId);
  expect(build).not.toHaveBeenCalled();

  const client = await watch();
  build.mockClear(); // the watch's own snapshot (its ack)
  const pushed = new Promise<LineView>((resolve) => client.once('line:view', resolve));
  await service.publishView(line.lineId);
  expect((await pushed).line.lineId).toBe(line.lineId);
  expect(build).toHaveBeenCalledTimes(1);

  // The last watcher leaves: changes build nothing again (the throttle's trailing publish included).
  client.close();
  await vi.waitUntil(() => !io.of('/').adapter.rooms.has(lineWatchRoom(line.lineId)));
  await service.publishView(line.lineId);
  expect(build).toHaveBeenCalledTimes(1);
});
