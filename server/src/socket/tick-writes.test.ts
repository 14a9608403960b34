import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { Server, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IoSocket } from './socket-types';
import { answering, batchWritesPerTick } from './tick-writes';

/**
 * A real socket.io server (ws over loopback TCP) and client. What is counted is the server's TCP socket's
 * writes into the kernel: the wrapped `_writev`/`_write` still write, they only count.
 */

type Tcp = Writable & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };

let server: Server;
let url: string;
const connected: Array<(socket: Socket) => void> = [];

beforeAll(async () => {
  const http = createServer();
  server = new Server(http, { transports: ['websocket'] });
  server.on('connection', (socket) => connected.shift()?.(socket));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server.close();
});

async function pair(batched: boolean): Promise<{ socket: Socket; client: ClientSocket; writes: () => number; tcp: Tcp }> {
  const accepted = new Promise<Socket>((resolve) => connected.push(resolve));
  const client = connect(url, { transports: ['websocket'], reconnection: false });
  const socket = await accepted;
  if (batched) batchWritesPerTick(socket as unknown as IoSocket);
  await new Promise<void>((resolve) => (client.connected ? resolve() : client.once('connect', () => resolve())));
  const tcp = (socket.conn as unknown as { transport: { socket: { _socket: Tcp } } }).transport.socket._socket;
  let count = 0;
  for (const method of ['_write', '_writev'] as const) {
    const original = tcp[method].bind(tcp);
    tcp[method] = (...args: unknown[]) => {
      count++;
      original(...args);
    };
  }
  return { socket, client, tcp, writes: () => count };
}

function received(client: ClientSocket, count: number): Promise<unknown[]> {
  const events: unknown[] = [];
  return new Promise((resolve) => {
    client.onAny((event: string, n: unknown) => {
      events.push(`${event}:${String(n)}`);
      if (events.length === count) resolve(events);
    });
  });
}

const emitSix = (socket: Socket) => {
  for (let i = 0; i < 6; i++) socket.emit('frame', i);
};

describe('frames to one connection in one tick', () => {
  it('frames queued together leave in one write once the code that queued them has run; unbatched, each is its own write', async () => {
    const batched = await pair(true);
    const arrived = received(batched.client, 6);
    emitSix(batched.socket);
    expect(batched.writes()).toBe(0); // the flush is a microtask
    await Promise.resolve();
    expect(batched.writes()).toBe(1); // not held to the end of the tick
    expect(await arrived).toEqual([0, 1, 2, 3, 4, 5].map((n) => `frame:${n}`));
    expect(batched.writes()).toBe(1);
    expect(batched.tcp.writableCorked).toBe(0);

    const plain = await pair(false);
    const plainArrived = received(plain.client, 6);
    emitSix(plain.socket);
    await plainArrived;
    expect(plain.writes()).toBe(6);
    batched.client.close();
    plain.client.close();
  });

  it('frames emitted in a promise continuation after the first flush of a tick leave together at its end; later ticks get their own', async () => {
    const { socket, client, writes } = await pair(true);
    const arrived = received(client, 9);
    socket.emit('frame', 0);
    await Promise.resolve();
    socket.emit('frame', 1);
    socket.emit('frame', 2);
    await new Promise((resolve) => setImmediate(resolve));
    const afterFirstTick = writes();
    for (let i = 3; i < 9; i++) socket.emit('frame', i);
    expect(await arrived).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => `frame:${n}`));
    expect(afterFirstTick).toBe(2); // frame 0 left before the continuation that queued 1 and 2; those waited for the end of the tick
    expect(writes() - afterFirstTick).toBe(1);
    client.close();
  });

  it('while a request of the connection is answered, its frames wait for the end of the tick and leave with the acknowledgement', async () => {
    const { socket, client, writes } = await pair(true);
    socket.on('ask', (ack: (answer: string) => void) => {
      const answer = (async () => {
        await new Promise((resolve) => setImmediate(resolve)); // a write's commit: the next turn
        socket.emit('frame', 'caused');
        await Promise.resolve();
        await Promise.resolve();
        return 'answer';
      })();
      void answering(socket as unknown as IoSocket, answer).then(ack);
    });
    const order: string[] = [];
    const done = new Promise<void>((resolve) => client.on('frame', (n: string) => order.push(n)) && client.emit('ask', (answer: string) => resolve(void order.push(answer))));
    const sentBefore = writes();
    await done;
    expect(order).toEqual(['caused', 'answer']);
    expect(writes() - sentBefore).toBe(1);
    client.close();
  });

  it('an acknowledgement keeps its place among the events sent around it', async () => {
    const { socket, client, writes } = await pair(true);
    socket.on('ask', (ack: (answer: string) => void) => {
      socket.emit('frame', 'before');
      ack('answer');
      socket.emit('frame', 'after');
    });
    const order: string[] = [];
    const done = new Promise<void>((resolve) =>
      client.on('frame', (n: string) => {
        order.push(n);
        if (n === 'after') resolve();
      }),
    );
    const sentBefore = writes();
    client.emit('ask', (answer: string) => order.push(answer));
    await done;
    expect(order).toEqual(['before', 'answer', 'after']);
    expect(writes() - sentBefore).toBe(1); // queued by one synchronous run: one write
    client.close();
  });

  it('a connection closed in the tick that sent to it: the frames before the close still arrive, then the disconnect', async () => {
    const { socket, client, tcp } = await pair(true);
    const arrived = received(client, 3);
    const disconnected = new Promise<string>((resolve) => client.on('disconnect', resolve));
    socket.emit('frame', 0);
    socket.emit('frame', 1);
    socket.emit('frame', 2);
    socket.disconnect(true);
    expect(await arrived).toEqual(['frame:0', 'frame:1', 'frame:2']);
    expect(await disconnected).toBe('io server disconnect');
    expect(tcp.writableCorked).toBe(0);
  });
});
