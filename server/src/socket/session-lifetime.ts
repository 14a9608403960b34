import { ProtocolError, type ClientAckResult, type ErrorBody } from '../../../shared/protocol';
import type { Authenticated, RevokeReason } from '../auth/account-service';
import { sessionRoom, type IoServer, type IoSocket } from './socket-types';

/** Tells the device why with `session:closed`, then closes its connection. */
export function closeSession(socket: IoSocket, error: ErrorBody): void {
  socket.emit('session:closed', { error });
  socket.disconnect(true);
}

/**
 * A connection lives as long as its access token: at the token's expiry the server closes it with
 * TOKEN_EXPIRED, unless the device handed over a fresh token of the same session first
 * (`session:renew`), which moves the deadline without dropping anything. Revoking a session
 * (logout, refresh-token reuse) closes its connections with UNAUTHORIZED.
 */
export class SessionLifetime {
  private readonly timers = new WeakMap<IoSocket, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly io: IoServer,
    private readonly authenticate: (token: string) => Promise<Authenticated>,
  ) {}

  /** A new connection: it joins its session's room (so a revocation reaches it on any node) and its expiry is armed. */
  attach(socket: IoSocket): void {
    void socket.join(sessionRoom(socket.data.sessionId));
    this.arm(socket);
  }

  /** Arms (or re-arms) the expiry of the socket's access token. */
  arm(socket: IoSocket): void {
    this.disarm(socket);
    const left = Math.max(0, socket.data.tokenExpiresAt - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(socket);
      if (socket.connected) closeSession(socket, { code: 'TOKEN_EXPIRED', message: 'The access token expired: refresh it and connect again' });
    }, Math.min(left, 2 ** 31 - 1));
    this.timers.set(socket, timer);
  }

  disarm(socket: IoSocket): void {
    const timer = this.timers.get(socket);
    if (timer) clearTimeout(timer);
    this.timers.delete(socket);
  }

  async renew(socket: IoSocket, token: string): Promise<ClientAckResult<'session:renew'>> {
    const renewed = await this.authenticate(token);
    if (renewed.user.userId !== socket.data.user.userId || renewed.sessionId !== socket.data.sessionId) {
      throw new ProtocolError('UNAUTHORIZED', 'The token belongs to another session');
    }
    socket.data.tokenExpiresAt = renewed.expiresAt;
    this.arm(socket);
    return { accessTokenExpiresAt: new Date(renewed.expiresAt).toISOString() };
  }

  /** Every connection of the session, through its room (with a cluster adapter, on every node). */
  revoked(sessionId: string, reason: RevokeReason): void {
    const message = reason === 'logout' ? 'Signed out' : 'The session was revoked (its refresh token was used twice): sign in again';
    this.io.to(sessionRoom(sessionId)).emit('session:closed', { error: { code: 'UNAUTHORIZED', message } });
    this.io.in(sessionRoom(sessionId)).disconnectSockets(true);
  }
}
