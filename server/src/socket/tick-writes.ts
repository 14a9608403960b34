import type { Writable } from 'node:stream';
import type { IoSocket } from './socket-types';

/**
 * One write per connection per tick: the frames a connection is sent in one turn of the event loop (a
 * request's ack, the call event and the presence change it caused) leave in one system call instead of one
 * each. Writes are the server's largest cost under load (each `writev` runs the kernel's TCP path, on loopback
 * the receiver's too); the frames, their order and the protocol are unchanged.
 *
 * engine.io writes a packet as soon as it is queued when its transport is writable, and a WebSocket transport
 * is not writable again until that write has reached the kernel: of three frames queued in one tick, the first
 * goes alone and the rest follow in a second flush, each frame its own write (ws corks only around one frame).
 * Here a connection's flush waits for the end of the current tick (`process.nextTick`: after the callbacks and
 * promise continuations that are running), so it takes every packet queued meanwhile, and the TCP socket is
 * corked around it, so its frames leave in one `writev`. engine.io's bookkeeping is untouched: one flush, one
 * transport send, one drain, and a flush on a connection that closed meanwhile does nothing (engine.io checks).
 * Polling connections get the same deferred flush (one HTTP response per flush already); only WebSocket ones
 * are corked.
 */

interface EngineConnection {
  flush(): void;
  transport: {
    name: string;
    /** The transport's ws WebSocket; `_socket` is its TCP (or TLS) socket (engine.io itself reaches into ws's `_sender`). */
    socket?: { _socket?: Writable };
  };
}

function tcpOf(conn: EngineConnection): Writable | null {
  if (conn.transport.name !== 'websocket') return null;
  const tcp = conn.transport.socket?._socket;
  return tcp && !tcp.destroyed && tcp.writable ? tcp : null;
}

/** Connections already batched (sockets of several namespaces share one engine.io connection). */
const batched = new WeakSet<EngineConnection>();

export function batchWritesPerTick(socket: IoSocket): void {
  const conn = socket.conn as unknown as EngineConnection;
  if (batched.has(conn)) return;
  batched.add(conn);
  const flushNow = conn.flush.bind(conn);
  let scheduled = false;
  const flushBatch = () => {
    scheduled = false;
    const tcp = tcpOf(conn);
    tcp?.cork();
    try {
      flushNow();
    } finally {
      tcp?.uncork();
    }
  };
  conn.flush = () => {
    if (scheduled) return;
    scheduled = true;
    process.nextTick(flushBatch);
  };
}
