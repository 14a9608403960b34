/**
 * Baseline (a): the floor for this stack. A socket.io server that forwards a message to a named socket:
 * no auth, no validation, no persistence. A client names itself in the handshake (`auth.name`) and
 * sends `relay {to, payload}`; the named socket receives `relay {from, payload}`.
 * Run as its own process: `tsx bench/baselines/bare-relay-server.ts` (prints the port) or forked by the bench.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { serveRpc } from '../lib/worker-rpc';

export interface RelayMessage {
  to: string;
  payload: unknown;
}

const httpServer = createServer();
const io = new Server(httpServer, { maxHttpBufferSize: 64 * 1024, serveClient: false, cors: { origin: true } });
const byName = new Map<string, Socket>();

io.on('connection', (socket) => {
  const name = String((socket.handshake.auth as { name?: unknown }).name ?? socket.id);
  byName.set(name, socket);
  socket.on('relay', (message: RelayMessage) => {
    byName.get(message.to)?.emit('relay', { from: name, payload: message.payload });
  });
  socket.on('disconnect', () => {
    if (byName.get(name) === socket) byName.delete(name);
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = httpServer.address() as AddressInfo;
  if (process.send) serveRpc({ connections: () => io.engine.clientsCount }, { port });
  else console.log(`bare socket.io relay listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
