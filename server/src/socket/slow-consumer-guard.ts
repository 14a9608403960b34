import type { Logger } from '../logger';
import type { IoSocket } from './socket-types';

/**
 * Bounds what the server holds for a device that stops reading its socket.
 *
 * engine.io queues every outgoing packet in `conn.writeBuffer` while the transport is not writable (the
 * WebSocket's previous write has not reached the kernel), without any limit; nothing is freed until the
 * ping timeout closes the connection, up to pingInterval + pingTimeout (45 s) later. A flood of call
 * signals (up to 32 KB each) towards such a device would grow the server's memory by the whole flood.
 *
 * The guard counts what is queued since the transport last took the buffer and, past the limit, drops
 * the connection with its queue (a slow consumer). The device reconnects and resumes like after any
 * network drop: the call stays up for the resume grace, later signals wait in the call's bounded buffer.
 */
export const SLOW_CONSUMER_LIMITS = {
  /** Far above any legitimate burst (a session:ready with hundreds of calls, a few SDP offers). */
  maxQueuedBytes: 4 * 1024 * 1024,
  maxQueuedPackets: 10_000,
};

interface EnginePacket {
  data?: unknown;
}
interface EngineConnection {
  writeBuffer: unknown[];
  on(event: 'packetCreate', listener: (packet: EnginePacket) => void): void;
  on(event: 'flush', listener: () => void): void;
  close(discard?: boolean): void;
}

function sizeOf(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 16;
}

/** `logger` is called only when the guard has something to say (a child logger per idle socket costs memory). */
export function guardSlowConsumer(socket: IoSocket, logger: () => Logger, limits = SLOW_CONSUMER_LIMITS): void {
  const conn = socket.conn as unknown as EngineConnection;
  let queuedBytes = 0;
  let cut = false;
  conn.on('flush', () => {
    queuedBytes = 0;
  });
  conn.on('packetCreate', (packet) => {
    queuedBytes += sizeOf(packet.data);
    if (cut || (queuedBytes <= limits.maxQueuedBytes && conn.writeBuffer.length < limits.maxQueuedPackets)) return;
    cut = true;
    logger().warn({ event: 'slow-consumer', queuedBytes, queuedPackets: conn.writeBuffer.length }, 'the device does not read its socket: connection dropped');
    // discard = true: close now and free the queue, instead of waiting for a drain that will not come.
    setImmediate(() => conn.close(true));
  });
}
