import type { ChosenPresence, UserIdentity } from '../../../shared/protocol';
import { sql } from 'kysely';
import { compileOnce, dialectOf } from './compiled';
import type { Db } from './schema';

export interface StoredUser extends UserIdentity {
  passwordHash: string;
  /** 'line': a service line's name (cannot sign in; calls to it are queued). Absent on insert: a person. */
  kind?: 'person' | 'line';
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  kind: 'person' | 'line';
}

const toIdentity = (row: UserRow): UserIdentity => ({ userId: row.id, username: row.username, displayName: row.display_name });

/** What others may see of a stored user: the identity only (never the hash, nor the account's kind). */
export const identityOf = (user: StoredUser): UserIdentity => ({ userId: user.userId, username: user.username, displayName: user.displayName });

/** A user by name: read at every invite (the callee), so compiled once. */
const BY_USERNAME = compileOnce((db, username: string) => db.selectFrom('users').selectAll().where('username', '=', username));

/** Queries on the users table (SQLite or Postgres). */
export class UsersRepo {
  constructor(private readonly db: Db) {}

  /** Returns false when the username is taken. */
  async insert(user: StoredUser): Promise<boolean> {
    const inserted = await this.db
      .insertInto('users')
      .values({ id: user.userId, username: user.username, display_name: user.displayName, password_hash: user.passwordHash, created_at: new Date().toISOString() })
      .onConflict((conflict) => conflict.column('username').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async findByUsername(username: string): Promise<StoredUser | undefined> {
    const [row] = (await this.db.executeQuery(BY_USERNAME(dialectOf(this.db), this.db, username))).rows as UserRow[];
    return row && { ...toIdentity(row), passwordHash: row.password_hash, kind: row.kind };
  }

  async findById(userId: string): Promise<UserIdentity | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    return row && toIdentity(row);
  }

  /** Users whose chosen presence is not the default 'online'. */
  async presenceChoices(): Promise<Array<{ userId: string; choice: ChosenPresence }>> {
    const rows = await this.db.selectFrom('users').select(['id', 'presence_choice']).where('presence_choice', '<>', 'online').execute();
    return rows.map((row) => ({ userId: row.id, choice: row.presence_choice }));
  }

  /** The chosen presence of each of these users whose choice is not 'online' (a node reading what another node stored). */
  async presenceChoicesOf(userIds: readonly string[]): Promise<Map<string, ChosenPresence>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'presence_choice']).where('id', 'in', userIds).where('presence_choice', '<>', 'online').execute();
    return new Map(rows.map((row) => [row.id, row.presence_choice]));
  }

  /** Stores the choice with its away reason (agents) and when it was made (the agent state's 'since'). */
  async setPresenceChoice(userId: string, choice: ChosenPresence, reason: string | null = null): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ presence_choice: choice, presence_reason: choice === 'away' ? reason : null, presence_since: new Date().toISOString() })
      .where('id', '=', userId)
      .execute();
  }

  /**
   * People (or, with kind 'line', open service lines): case-insensitive substring match on username or display
   * name; prefix matches first. A closed line's name stays reserved but is never found.
   */
  async search(query: string, limit: number, kind: 'person' | 'line' = 'person'): Promise<UserIdentity[]> {
    const needle = query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    const contains = `%${needle}%`;
    const prefix = `${needle}%`;
    const openLinesOnly = kind === 'line' ? sql`AND id IN (SELECT id FROM lines WHERE closed_at IS NULL)` : sql``;
    const { rows } = await sql<UserRow>`
      SELECT * FROM users
      WHERE kind = ${kind} ${openLinesOnly} AND (lower(username) LIKE ${contains} ESCAPE '\\' OR lower(display_name) LIKE ${contains} ESCAPE '\\')
      ORDER BY CASE WHEN lower(username) LIKE ${prefix} ESCAPE '\\' OR lower(display_name) LIKE ${prefix} ESCAPE '\\' THEN 0 ELSE 1 END, username
      LIMIT ${limit}`.execute(this.db);
    return rows.map(toIdentity);
  }
}
