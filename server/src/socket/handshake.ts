import type { ExtendedError, Socket } from 'socket.io';
import { HandshakeAuth, isCompatibleProtocol, PROTOCOL_VERSION, ProtocolError, validationError, type ErrorBody } from '../../../shared/protocol';
import type { Authenticated } from '../auth/account-service';
import { isStorageFailure, storageUnavailable } from '../db/storage-failure';
import type { SessionData } from './socket-types';

/** Refuses a handshake with `connect_error`, `err.data` = ErrorBody. */
function refusal(body: ErrorBody): ExtendedError {
  const error: ExtendedError = new Error(body.message);
  error.data = body;
  return error;
}

/**
 * Socket.io middleware. Order of checks: schema -> protocol major -> token -> session alive -> account.
 * On success socket.data holds the server's identity of the user, the device id and the session.
 */
export function handshakeMiddleware(
  authenticate: (token: string) => Promise<Authenticated>,
  isAccepting: () => boolean,
  /** Runs once the device is known, before it connects (the node brings its copy of the user's calls up to date). */
  prepare: (data: SessionData) => Promise<void> = () => Promise.resolve(),
) {
  return (socket: Socket, next: (error?: ExtendedError) => void): void => {
    if (!isAccepting()) return next(refusal({ code: 'INTERNAL', message: 'The server is starting or shutting down' }));
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(refusal(validationError(parsed.error, 'handshake auth').toBody()));
    const { token, deviceId, protocolVersion } = parsed.data;
    if (!isCompatibleProtocol(protocolVersion)) {
      return next(
        refusal({ code: 'PROTOCOL_MISMATCH', message: `Protocol ${protocolVersion} is not supported; this server speaks ${PROTOCOL_VERSION}` }),
      );
    }
    authenticate(token)
      .then(async ({ user, sessionId, expiresAt }) => {
        const data: SessionData = { user, deviceId, sessionId, tokenExpiresAt: expiresAt, protocolVersion };
        await prepare(data);
        socket.data = data;
        // socket.io keeps the handshake for the connection's life; the token is not needed any more.
        socket.handshake.auth = {};
        next();
      })
      .catch((error: unknown) => {
        next(refusal(isStorageFailure(error) ? storageUnavailable().toBody() : error instanceof ProtocolError ? error.toBody() : { code: 'INTERNAL', message: 'Handshake failed' }));
      });
  };
}
