import { ProtocolError } from '../../../shared/protocol';

/** How long clients are told to wait before retrying when storage fails. */
export const STORAGE_RETRY_AFTER_MS = 5_000;

/**
 * SQLite result codes that mean "the storage cannot take this write now" (disk full, I/O error,
 * read-only or vanished file, locked): the request was fine and may succeed later.
 * (better-sqlite3 throws SqliteError with `code` = the extended result code, e.g. SQLITE_IOERR_WRITE.)
 */
const SQLITE_TRANSIENT = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|BUSY|LOCKED|NOMEM|PROTOCOL)/;

/**
 * Postgres (pg) failures that mean "the database is not reachable or not accepting work now": a refused or
 * reset connection, SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up),
 * 53xxx (out of connections, disk, memory), and the pool's own "timeout exceeded when trying to connect" and
 * "Connection terminated" errors, which carry no code.
 */
const PG_TRANSIENT_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|08\w{3}|57P0[123]|53\w{3})$/;
const PG_TRANSIENT_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|connection is closed/i;

export function isStorageFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (error.name === 'SqliteError') return typeof code === 'string' && SQLITE_TRANSIENT.test(code);
  if (typeof code === 'string' && PG_TRANSIENT_CODES.test(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isStorageFailure);
  return PG_TRANSIENT_MESSAGES.test(error.message);
}

export function storageUnavailable(): ProtocolError {
  return new ProtocolError('STORAGE_UNAVAILABLE', 'The service cannot record anything right now; try again shortly', undefined, {
    retryAfterMs: STORAGE_RETRY_AFTER_MS,
  });
}
