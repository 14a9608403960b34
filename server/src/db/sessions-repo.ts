import type { Db } from './schema';

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
 * Where sign-in sessions are kept. A plain interface so the storage can change without touching the
 * account logic; every write is one statement, and rotate() is a compare-and-set.
 */
export interface SessionStore {
  create(row: Omit<SessionRow, 'revokedAt' | 'revokedReason'>): Promise<void>;
  find(id: string): Promise<SessionRow | undefined>;
  /** Replaces the current refresh hash if it is still `fromHash` and the session is not revoked; false otherwise. */
  rotate(id: string, fromHash: string, toHash: string, expiresAt: string, at: string): Promise<boolean>;
  /** Revokes the session (idempotent); false when it was already revoked or does not exist. */
  revoke(id: string, reason: string, at: string): Promise<boolean>;
  /** Deletes sessions that expired, or were revoked, before `before`. */
  purge(before: string): Promise<number>;
}

export class SessionsRepo implements SessionStore {
  constructor(private readonly db: Db) {}

  async create(row: Omit<SessionRow, 'revokedAt' | 'revokedReason'>): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ id: row.id, user_id: row.userId, refresh_hash: row.refreshHash, created_at: row.createdAt, refreshed_at: row.createdAt, expires_at: row.expiresAt })
      .execute();
  }

  async find(id: string): Promise<SessionRow | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
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

  async rotate(id: string, fromHash: string, toHash: string, expiresAt: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('sessions')
      .set({ refresh_hash: toHash, refreshed_at: at, expires_at: expiresAt })
      .where('id', '=', id)
      .where('refresh_hash', '=', fromHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async revoke(id: string, reason: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('sessions').set({ revoked_at: at, revoked_reason: reason }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async purge(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
