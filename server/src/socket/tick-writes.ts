import type { Writable } from 'node:stream';
import type { IoSocket } from './socket-types';

/**
 * At most two writes per connection per tick: the first frame a connection is sent in a turn of the event loop
 * leaves at once, and the frames that follow it in that turn (the call event after a request's ack, the presence
 * change it caused) leave together in one system call at the end of the turn, instead of one each. Writes are the
 * server's largest cost under load (each `writev` runs the kernel's TCP path, on loopback the receiver's too); the
 * frames, their order and the protocol are unchanged.
 *
 * engine.io writes a packet as soon as it is queued when its transport is writable, and a WebSocket transport
 * is not writable again until that write has reached the kernel: of three frames queued in one tick, the first
 * goes alone and the rest follow in later flushes, each frame its own write (ws corks only around one frame).
 * Here a connection's further flushes in the tick wait for its end (`process.nextTick`: after the callbacks and
 * promise continuations that are running), so one flush takes every packet queued meanwhile, and the TCP socket
 * is corked around each flush, so its frames leave in one `writev`. The first frame is never held: a ring-all
 * offer sent to 200 agents in one tick would otherwise reach the first agent only once all 200 are encoded
 * (the line-offer bench measured 55 ms instead of 5). engine.io's bookkeeping is untouched (one flush, one
 * transport send, one drain; a flush on a connection that closed meanwhile does nothing; engine.io checks).
 * Polling connections get the same flushes (one HTTP response per flush already); only WebSocket ones are corked.
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
  const flushCorked = () => {
    const tcp = tcpOf(conn);
    tcp?.cork();
    try {
      flushNow();
    } finally {
      tcp?.uncork();
    }
  };
  /** This connection has flushed in the current tick; `held`: more was queued after that, for the end of the tick. */
  let flushedThisTick = false;
  let held = false;
  const endOfTick = () => {
    flushedThisTick = false;
    if (!held) return;
    held = false;
    flushCorked();
  };
  conn.flush = () => {
    if (flushedThisTick) {
      held = true;
      return;
    }
    flushedThisTick = true;
    process.nextTick(endOfTick);
    flushCorked();
  };
}
