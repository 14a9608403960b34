import { ProtocolError } from '../../../shared/protocol';

/** How long clients are told to wait before retrying when storage fails. */
export const STORAGE_RETRY_AFTER_MS = 5_000;

/**
 * SQLite result codes that mean "the storage cannot take this write now" (disk full, I/O error,
 * read-only or vanished file, locked): the request was fine and may succeed later.
 * (better-sqlite3 throws SqliteError with `code` = the extended result code, e.g. SQLITE_IOERR_WRITE.)
 */
const TRANSIENT = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL)/;

export function isStorageFailure(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'SqliteError') return false;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && TRANSIENT.test(code);
}

export function storageUnavailable(): ProtocolError {
  return new ProtocolError('STORAGE_UNAVAILABLE', 'The service cannot record anything right now; try again shortly', undefined, {
    retryAfterMs: STORAGE_RETRY_AFTER_MS,
  });
}
