import type { ClientError, ClientErrorCode } from '../call/types';

/** Why a PhoneCore action failed: a server ErrorCode, TIMEOUT/OFFLINE from the transport, or INVALID_STATE/CALL_NOT_FOUND locally. */
export class PhoneError extends Error {
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PhoneError';
  }

  static from(error: ClientError): PhoneError {
    return new PhoneError(error.code, error.message);
  }
}
