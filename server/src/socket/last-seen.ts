import type { IoSocket } from './socket-types';

/** The engine.io connection under a socket.io socket, with the one field this module adds. */
interface SeenConnection {
  lastSeenAt?: number;
  on(event: 'packet', listener: (this: SeenConnection) => void): void;
}

/** One shared listener for every connection (`this` is the connection): no closure per idle socket. */
function markSeen(this: SeenConnection): void {
  this.lastSeenAt = Date.now();
}

/** Starts recording when the device was last heard from: any packet, heartbeat pongs included. */
export function trackLastSeen(socket: IoSocket): void {
  const conn = socket.conn as unknown as SeenConnection;
  conn.lastSeenAt = Date.now();
  conn.on('packet', markSeen);
}

/** When the socket's device was last heard from (ms since the epoch). */
export function lastSeenAt(socket: IoSocket): number {
  return (socket.conn as unknown as SeenConnection).lastSeenAt ?? Date.now();
}
