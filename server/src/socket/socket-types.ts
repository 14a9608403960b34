import type { Server, Socket } from 'socket.io';
import type { LineSession } from '../lines/line-service';
import type { ClientToServerEvents, ServerToClientEvents, UserIdentity } from '../../../shared/protocol';

/** What the handshake established: who this socket is, as the server knows it. */
export interface SessionData {
  user: UserIdentity;
  deviceId: string;
  /** The sign-in session the access token belongs to (revoking it closes this socket). */
  sessionId: string;
  /** When the access token expires (ms): the socket is closed with TOKEN_EXPIRED then, unless renewed. */
  tokenExpiresAt: number;
  /** The protocol version the client speaks (from the handshake). */
  protocolVersion?: string;
  /** Roles, agent state and queued calls, read in the handshake for session:ready (absent: none). */
  lineSession?: LineSession;
}

/** Between nodes (cluster profile, through the adapter). */
interface InterServerEvents {
  /** A device connected on some node with generation `gen`: its sockets with a lower one go (cluster-devices.ts). */
  'device:superseded': (notice: { userId: string; deviceId: string; gen: number }) => void;
  /** A line changed on some node: a node with a watcher of it sends them a fresh view (LineService.lineChanged). */
  'line:changed': (lineId: string) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SessionData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SessionData>;

export const userRoom = (userId: string) => `user:${userId}`;
export const deviceRoom = (userId: string, deviceId: string) => `device:${userId}:${deviceId}`;
export const presenceRoom = (userId: string) => `presence:${userId}`;
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
