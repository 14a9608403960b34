import type { Writable } from 'node:stream';
import type { IoSocket } from './socket-types';

/**
 * One write per connection per step of a call, in most cases: the frames a connection is sent together (a call
 * event and the presence change it caused; a request's acknowledgement and what the request changed) leave in
 * one system call instead of one each. Writes are the server's largest cost under load (each `writev` runs the
 * kernel's TCP path, on loopback the receiver's too); the frames, their order and the protocol are unchanged.
 *
 * When a connection is first sent something in a turn of the event loop, its flush is scheduled, not run:
 * - while the connection has a request of its own in flight (`answering`), at the end of the tick
 *   (`process.nextTick`: after the callbacks and promise continuations that are running), where its
 *   acknowledgement usually joins the frames the request caused;
 * - otherwise as a microtask, once the code that queued the frame has run: the frames it queues together leave
 *   together, and a ring-all offer sent to 200 agents in one loop reaches the first agent after the loop, not after
 *   everything else the tick does (holding every frame to the end of the tick made the line-offer bench's ring-all
 *   p50 55 ms instead of 5).
 * Frames queued after that flush in the same tick wait for its end and leave in one more write. The TCP socket is
 * corked around each flush, so its frames leave in one `writev`.
 *
 * engine.io writes a packet as soon as it is queued when its transport is writable, and a WebSocket transport is
 * not writable again until that write has reached the kernel: without this, of three frames queued in one tick the
 * first goes alone and the rest follow in later flushes, each frame its own write (ws corks only around one
 * frame). engine.io's bookkeeping is untouched (one flush, one transport send, one drain; a flush on a connection
 * that closed meanwhile does nothing; engine.io checks). Polling connections get the same flushes (one HTTP
 * response per flush already); only WebSocket ones are corked.
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

/** Per batched connection (sockets of several namespaces share one engine.io connection): its requests in flight. */
const batched = new WeakMap<EngineConnection, { requests: number }>();

export function batchWritesPerTick(socket: IoSocket): void {
  const conn = socket.conn as unknown as EngineConnection;
  if (batched.has(conn)) return;
  const state = { requests: 0 };
  batched.set(conn, state);
  const flushNow = conn.flush.bind(conn);
  /** A flush was scheduled in the current tick; `held`: frames wait for the end of the tick; `firstWaits`: so does the first (a request in flight). */
  let scheduledThisTick = false;
  let held = false;
  let firstWaits = false;
  const flushCorked = () => {
    held = false;
    const tcp = tcpOf(conn);
    tcp?.cork();
    try {
      flushNow();
    } finally {
      tcp?.uncork();
    }
  };
  const endOfTick = () => {
    scheduledThisTick = false;
    if (held) flushCorked();
  };
  // Scheduled from a microtask, the end of the tick comes after the promise continuations queued meanwhile, also
  // when the first frame was queued by synchronous code (where a nextTick would run before them).
  const firstFlush = () => {
    process.nextTick(endOfTick);
    if (!firstWaits) flushCorked();
  };
  conn.flush = () => {
    if (scheduledThisTick) {
      held = true;
      return;
    }
    scheduledThisTick = true;
    firstWaits = state.requests > 0;
    held = firstWaits;
    queueMicrotask(firstFlush);
  };
}

/**
 * Runs a request of the socket's (a client event to acknowledge): until `answer` settles, the frames the connection
 * is sent wait for the end of their tick, so the acknowledgement usually leaves with them in one write. Returns
 * `answer`; call the acknowledgement after it.
 */
export function answering<T>(socket: IoSocket, answer: Promise<T>): Promise<T> {
  const state = batched.get(socket.conn as unknown as EngineConnection);
  if (!state) return answer;
  state.requests += 1;
  return answer.finally(() => {
    state.requests -= 1;
  });
}
