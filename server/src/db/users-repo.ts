import type { ChosenPresence, UserIdentity } from '../../../shared/protocol';
import { prepared, type Db } from './database';

export interface StoredUser extends UserIdentity {
  passwordHash: string;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
}

const toIdentity = (row: UserRow): UserIdentity => ({ userId: row.id, username: row.username, displayName: row.display_name });

/** SQL for the users table. */
export class UsersRepo {
  constructor(private readonly db: Db) {}

  /** Returns false when the username is taken. */
  insert(user: StoredUser): boolean {
    const insert = prepared(
      this.db,
      'INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING',
    );
    const result = insert.run(user.userId, user.username, user.displayName, user.passwordHash, new Date().toISOString());
    return result.changes === 1;
  }

  findByUsername(username: string): StoredUser | undefined {
    const row = prepared(this.db, 'SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row && { ...toIdentity(row), passwordHash: row.password_hash };
  }

  findById(userId: string): UserIdentity | undefined {
    const row = prepared(this.db, 'SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
    return row && toIdentity(row);
  }

  /** Users whose chosen presence is not the default 'online'. */
  presenceChoices(): Array<{ userId: string; choice: ChosenPresence }> {
    const rows = prepared(this.db, "SELECT id, presence_choice FROM users WHERE presence_choice <> 'online'").all() as Array<{ id: string; presence_choice: ChosenPresence }>;
    return rows.map((row) => ({ userId: row.id, choice: row.presence_choice }));
  }

  setPresenceChoice(userId: string, choice: ChosenPresence): void {
    prepared(this.db, 'UPDATE users SET presence_choice = ? WHERE id = ?').run(choice, userId);
  }

  /** Case-insensitive substring match on username or display name; prefix matches first. */
  search(query: string, limit: number): UserIdentity[] {
    const needle = query.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = prepared(
      this.db,
      `SELECT * FROM users
       WHERE username LIKE @contains ESCAPE '\\' OR lower(display_name) LIKE @contains ESCAPE '\\'
       ORDER BY (username LIKE @prefix ESCAPE '\\' OR lower(display_name) LIKE @prefix ESCAPE '\\') DESC, username
       LIMIT @limit`,
    ).all({ contains: `%${needle}%`, prefix: `${needle}%`, limit }) as UserRow[];
    return rows.map(toIdentity);
  }
}
