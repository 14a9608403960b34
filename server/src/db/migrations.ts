import type Database from 'better-sqlite3';

type Db = Database.Database;

/** One schema step: SQL run once, in order, inside a transaction. */
export type Migration = string;

/** The core schema. Append only: never edit a step that has shipped. Version = PRAGMA user_version. */
export const CORE_MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
  );
  CREATE INDEX users_display_name ON users (display_name COLLATE NOCASE);

  CREATE TABLE calls (
    id                 TEXT PRIMARY KEY,
    caller_id          TEXT NOT NULL REFERENCES users (id),
    callee_id          TEXT NOT NULL REFERENCES users (id),
    caller_device_id   TEXT NOT NULL,
    answered_device_id TEXT,
    devices_rung       TEXT NOT NULL DEFAULT '[]',
    media              TEXT NOT NULL CHECK (media IN ('audio', 'video')),
    status             TEXT NOT NULL CHECK (status IN ('ringing', 'active', 'ended')),
    outcome            TEXT,
    end_reason         TEXT,
    ended_by           TEXT,
    started_at         TEXT NOT NULL,
    answered_at        TEXT,
    ended_at           TEXT,
    ring_ms            INTEGER,
    talk_ms            INTEGER
  );
  CREATE INDEX calls_caller ON calls (caller_id, started_at DESC);
  CREATE INDEX calls_callee ON calls (callee_id, started_at DESC);
  CREATE INDEX calls_open ON calls (status) WHERE status <> 'ended';

  CREATE TABLE missed_calls (
    id         TEXT PRIMARY KEY,
    call_id    TEXT NOT NULL UNIQUE REFERENCES calls (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    read_at    TEXT
  );
  CREATE INDEX missed_calls_unread ON missed_calls (user_id, created_at) WHERE read_at IS NULL;
  `,
  // The presence a user chose with presence:set survives restarts (offline and busy are derived, never stored).
  `
  ALTER TABLE users ADD COLUMN presence_choice TEXT NOT NULL DEFAULT 'online' CHECK (presence_choice IN ('online', 'dnd'));
  `,
  // 'away' becomes a choice too. SQLite cannot change a CHECK constraint in place: the column is
  // moved aside, re-added with the wider CHECK under its own name, filled, and the old one dropped.
  `
  ALTER TABLE users RENAME COLUMN presence_choice TO presence_choice_v2;
  ALTER TABLE users ADD COLUMN presence_choice TEXT NOT NULL DEFAULT 'online' CHECK (presence_choice IN ('online', 'dnd', 'away'));
  UPDATE users SET presence_choice = presence_choice_v2;
  ALTER TABLE users DROP COLUMN presence_choice_v2;
  `,
  // Sign-in sessions: one row per login, holding a hash of its current refresh token's id (rotation
  // replaces it; a token whose id is not the current one is a reuse and revokes the session).
  `
  CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    refresh_hash   TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    refreshed_at   TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_reason TEXT
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE INDEX sessions_expires ON sessions (expires_at);
  `,
  // The ring deadline, so a call that rings across a restart keeps its deadline (NULL for older rows).
  `
  ALTER TABLE calls ADD COLUMN ring_until TEXT;
  `,
];

export function migrateCore(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  migrations.slice(current).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + index + 1}`);
    })();
  });
}

/**
 * Schema steps owned by a feature module (e.g. 'push'), versioned separately from the core schema
 * in the `module_versions` table so modules never collide on PRAGMA user_version.
 */
export function migrateModule(db: Db, module: string, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS module_versions (module TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM module_versions WHERE module = ?').get(module) as { version: number } | undefined;
  const current = row?.version ?? 0;
  migrations.slice(current).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO module_versions (module, version) VALUES (?, ?) ON CONFLICT (module) DO UPDATE SET version = excluded.version').run(
        module,
        current + index + 1,
      );
    })();
  });
}
