import { ProtocolError, type ErrorBody } from '../../shared/protocol';
import { isStorageFailure, storageUnavailable } from './db/storage-failure';

/**
 * What a client is told about a failure, on an acknowledgement or an HTTP body: a ProtocolError as
 * it is; a storage failure as the retryable STORAGE_UNAVAILABLE; anything else as INTERNAL without
 * details (`unexpected` logs it).
 */
export function errorBodyOf(error: unknown, unexpected: (error: unknown) => void): ErrorBody {
  if (error instanceof ProtocolError) return error.toBody();
  if (isStorageFailure(error)) {
    unexpected(error);
    return storageUnavailable().toBody();
  }
  unexpected(error);
  return { code: 'INTERNAL', message: 'Internal error' };
}
