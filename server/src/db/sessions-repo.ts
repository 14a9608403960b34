import { prepared, type Db } from './database';

/** One sign-in session as stored. Times are ISO strings. */
export interface SessionRow {
  id: string;
  userId: string;
  /** SHA-256 (hex) of the current refresh token's id. */
  refreshHash: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedReason: string | null;
}

/**
 * Where sign-in sessions are kept. A plain interface so the storage can change (SQLite today) without
 * touching the account logic; every write is one statement, and rotate() is a compare-and-set.
 */
export interface SessionStore {
  create(row: Omit<SessionRow, 'revokedAt' | 'revokedReason'>): void;
  find(id: string): SessionRow | undefined;
  /** Replaces the current refresh hash if it is still `fromHash` and the session is not revoked; false otherwise. */
  rotate(id: string, fromHash: string, toHash: string, expiresAt: string, at: string): boolean;
  /** Revokes the session (idempotent); false when it was already revoked or does not exist. */
  revoke(id: string, reason: string, at: string): boolean;
  /** Deletes sessions that expired, or were revoked, before `before`. */
  purge(before: string): number;
}

interface Row {
  id: string;
  user_id: string;
  refresh_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export class SessionsRepo implements SessionStore {
  constructor(private readonly db: Db) {}

  create(row: Omit<SessionRow, 'revokedAt' | 'revokedReason'>): void {
    prepared(this.db, 'INSERT INTO sessions (id, user_id, refresh_hash, created_at, refreshed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      row.id,
      row.userId,
      row.refreshHash,
      row.createdAt,
      row.createdAt,
      row.expiresAt,
    );
  }

  find(id: string): SessionRow | undefined {
    const row = prepared(this.db, 'SELECT * FROM sessions WHERE id = ?').get(id) as Row | undefined;
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        refreshHash: row.refresh_hash,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        revokedAt: row.revoked_at,
        revokedReason: row.revoked_reason,
      }
    );
  }

  rotate(id: string, fromHash: string, toHash: string, expiresAt: string, at: string): boolean {
    const sql = 'UPDATE sessions SET refresh_hash = ?, refreshed_at = ?, expires_at = ? WHERE id = ? AND refresh_hash = ? AND revoked_at IS NULL';
    return prepared(this.db, sql).run(toHash, at, expiresAt, id, fromHash).changes === 1;
  }

  revoke(id: string, reason: string, at: string): boolean {
    return prepared(this.db, 'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL').run(at, reason, id).changes === 1;
  }

  purge(before: string): number {
    return prepared(this.db, 'DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ?').run(before, before).changes;
  }
}
