import { sql, type Kysely, type Migration as KyselyMigration, type MigrationProvider } from 'kysely';
import type { Dialect } from './schema';

/**
 * One schema step: its statements for each dialect (one statement per string: drivers run one at a time).
 */
export interface SchemaStep {
  name: string;
  sqlite: readonly string[];
  postgres: readonly string[];
  /** A step a feature module applied before the query layer, versioned in its module_versions row. */
  legacyModule?: { module: string; version: number };
}

const same = (statements: readonly string[]) => ({ sqlite: statements, postgres: statements });

/**
 * The first schema: users, calls and missed calls. Postgres differs in three places: the display-name index
 * (lower() instead of COLLATE NOCASE), a `seq` identity column for the insertion order SQLite keeps as rowid
 * (history pages break ties on it), and BIGINT durations.
 */
function coreTables(dialect: Dialect): string[] {
  const pg = dialect === 'postgres';
  const ms = pg ? 'BIGINT' : 'INTEGER';
  return [
    `CREATE TABLE users (
      id            TEXT PRIMARY KEY,
      username      TEXT NOT NULL UNIQUE,
      display_name  TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      created_at    TEXT NOT NULL
    )`,
    pg ? 'CREATE INDEX users_display_name ON users (lower(display_name))' : 'CREATE INDEX users_display_name ON users (display_name COLLATE NOCASE)',
    `CREATE TABLE calls (
      id                 TEXT PRIMARY KEY,${pg ? '\n      seq                BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,' : ''}
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
      ring_ms            ${ms},
      talk_ms            ${ms}
    )`,
    'CREATE INDEX calls_caller ON calls (caller_id, started_at DESC)',
    'CREATE INDEX calls_callee ON calls (callee_id, started_at DESC)',
    "CREATE INDEX calls_open ON calls (status) WHERE status <> 'ended'",
    `CREATE TABLE missed_calls (
      id         TEXT PRIMARY KEY,
      call_id    TEXT NOT NULL UNIQUE REFERENCES calls (id),
      user_id    TEXT NOT NULL REFERENCES users (id),
      created_at TEXT NOT NULL,
      read_at    TEXT
    )`,
    'CREATE INDEX missed_calls_unread ON missed_calls (user_id, created_at) WHERE read_at IS NULL',
  ];
}

/**
 * Every schema step, both dialects, in order. Append only: never edit a step that has shipped.
 * To add a table: append a step here (SQL for both dialects), add its interface to schema.ts, and test it
 * with describeEachStore (server/test/helpers/each-store.ts: the same tests on SQLite and on Postgres).
 */
export const SCHEMA_STEPS: readonly SchemaStep[] = [
  {
    name: '0001-core',
    sqlite: coreTables('sqlite'),
    postgres: coreTables('postgres'),
  },
  {
    // The presence a user chose with presence:set survives restarts (offline and busy are derived, never stored).
    name: '0002-presence-choice',
    ...same(["ALTER TABLE users ADD COLUMN presence_choice TEXT NOT NULL DEFAULT 'online' CHECK (presence_choice IN ('online', 'dnd'))"]),
  },
  {
    // 'away' becomes a choice too. SQLite cannot change a CHECK constraint in place: the column is moved
    // aside, re-added with the wider CHECK under its own name, filled, and the old one dropped.
    name: '0003-presence-away',
    sqlite: [
      'ALTER TABLE users RENAME COLUMN presence_choice TO presence_choice_v2',
      "ALTER TABLE users ADD COLUMN presence_choice TEXT NOT NULL DEFAULT 'online' CHECK (presence_choice IN ('online', 'dnd', 'away'))",
      'UPDATE users SET presence_choice = presence_choice_v2',
      'ALTER TABLE users DROP COLUMN presence_choice_v2',
    ],
    postgres: [
      'ALTER TABLE users DROP CONSTRAINT users_presence_choice_check',
      "ALTER TABLE users ADD CONSTRAINT users_presence_choice_check CHECK (presence_choice IN ('online', 'dnd', 'away'))",
    ],
  },
  {
    // Sign-in sessions: one row per login, holding a hash of its current refresh token's id (rotation
    // replaces it; a token whose id is not the current one is a reuse and revokes the session).
    name: '0004-sessions',
    ...same([
      `CREATE TABLE sessions (
        id             TEXT PRIMARY KEY,
        user_id        TEXT NOT NULL REFERENCES users (id),
        refresh_hash   TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        refreshed_at   TEXT NOT NULL,
        expires_at     TEXT NOT NULL,
        revoked_at     TEXT,
        revoked_reason TEXT
      )`,
      'CREATE INDEX sessions_user ON sessions (user_id)',
      'CREATE INDEX sessions_expires ON sessions (expires_at)',
    ]),
  },
  {
    // The ring deadline, so a call that rings across a restart keeps its deadline (NULL for older rows).
    name: '0005-ring-until',
    ...same(['ALTER TABLE calls ADD COLUMN ring_until TEXT']),
  },
  {
    // Issue 6's push module (its own module_versions row 'push' before the query layer).
    name: '0006-push-devices',
    legacyModule: { module: 'push', version: 1 },
    ...same([
      `CREATE TABLE push_devices (
        user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        device_id   TEXT NOT NULL,
        platform    TEXT NOT NULL CHECK (platform IN ('ios-voip', 'android-fcm')),
        token       TEXT NOT NULL,
        bundle_id   TEXT,
        environment TEXT CHECK (environment IN ('sandbox', 'production')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (user_id, device_id)
      )`,
      'CREATE UNIQUE INDEX push_devices_token ON push_devices (platform, token)',
      // Time from the invite to the first push-provider acknowledgement, for calls that pushed a phone.
      'ALTER TABLE calls ADD COLUMN push_latency_ms INTEGER',
    ]),
  },
  {
    // Call state without an owner (issue 13): every transition is a compare-and-set on the calls row, counted by
    // `version`. The devices a call rings on after the invite (pushed phones, devices that connect while it
    // rings) and the devices that declined are call_devices rows every node sees (those rung at the invite are in
    // calls.devices_rung, written with the call in one statement).
    name: '0007-call-state',
    ...same([
      'ALTER TABLE calls ADD COLUMN version INTEGER NOT NULL DEFAULT 0',
      `CREATE TABLE call_devices (
        call_id     TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
        device_id   TEXT NOT NULL,
        declined_at TEXT,
        PRIMARY KEY (call_id, device_id)
      )`,
    ]),
  },
  {
    // Since when each participant's signalling is away (NULL: connected), so a resume grace whose timer was lost
    // (Redis restarted without persistence) is still ended on time by the database sweep (calls/call-timers.ts).
    name: '0008-away-since',
    ...same(['ALTER TABLE calls ADD COLUMN caller_away_since TEXT', 'ALTER TABLE calls ADD COLUMN callee_away_since TEXT']),
  },
  {
    // Issue 14: service lines, agents, queue, wrap-up, roles (docs/lines.md). A line is a users row of kind 'line'
    // (one namespace with people: no user and no line share a name) plus a lines row with the same id.
    name: '0009-lines',
    ...same([
      "ALTER TABLE users ADD COLUMN kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'line'))",
      // The away reason and when the chosen presence was chosen (the agent state's 'since').
      'ALTER TABLE users ADD COLUMN presence_reason TEXT',
      'ALTER TABLE users ADD COLUMN presence_since TEXT',
      `CREATE TABLE user_roles (
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role       TEXT NOT NULL CHECK (role IN ('admin', 'supervisor')),
        granted_by TEXT,
        granted_at TEXT NOT NULL,
        PRIMARY KEY (user_id, role)
      )`,
      `CREATE TABLE lines (
        id                 TEXT PRIMARY KEY REFERENCES users (id),
        strategy           TEXT NOT NULL CHECK (strategy IN ('ring-all', 'longest-idle')),
        offer_timeout_ms   INTEGER NOT NULL DEFAULT 15000,
        max_wait_ms        INTEGER NOT NULL DEFAULT 600000,
        when_no_agent      TEXT NOT NULL DEFAULT 'wait' CHECK (when_no_agent IN ('wait', 'reject')),
        wrap_mode          TEXT NOT NULL DEFAULT 'time-boxed' CHECK (wrap_mode IN ('none', 'optional', 'time-boxed')),
        wrap_ms            INTEGER NOT NULL DEFAULT 30000,
        outcome_codes      TEXT NOT NULL DEFAULT '[]',
        outcome_required   INTEGER NOT NULL DEFAULT 0,
        expected_handle_ms INTEGER NOT NULL DEFAULT 300000,
        time_zone          TEXT NOT NULL DEFAULT 'UTC',
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL,
        closed_at          TEXT,
        version            INTEGER NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE line_members (
        line_id  TEXT NOT NULL REFERENCES lines (id) ON DELETE CASCADE,
        user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        added_at TEXT NOT NULL,
        PRIMARY KEY (line_id, user_id)
      )`,
      'CREATE INDEX line_members_user ON line_members (user_id)',
      // One row per agent (made when first added to a line): the routing facts that are not the chosen presence.
      `CREATE TABLE agent_states (
        user_id         TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        offer_entry_id  TEXT,
        wrap_call_id    TEXT,
        wrap_line_id    TEXT,
        wrap_started_at TEXT,
        wrap_until      TEXT,
        idle_since      TEXT NOT NULL,
        offline_since   TEXT,
        version         INTEGER NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE queue_entries (
        id                TEXT PRIMARY KEY,
        line_id           TEXT NOT NULL REFERENCES lines (id),
        caller_id         TEXT NOT NULL REFERENCES users (id),
        caller_device_id  TEXT NOT NULL,
        caller_away_since TEXT,
        media             TEXT NOT NULL CHECK (media IN ('audio', 'video')),
        state             TEXT NOT NULL CHECK (state IN ('waiting', 'offered', 'connected', 'abandoned', 'timed-out', 'rejected')),
        priority          INTEGER NOT NULL DEFAULT 0,
        enqueued_at       TEXT NOT NULL,
        give_up_at        TEXT NOT NULL,
        offer_round       INTEGER NOT NULL DEFAULT 0,
        offer_until       TEXT,
        agent_id          TEXT,
        agent_device_id   TEXT,
        connected_at      TEXT,
        ended_at          TEXT,
        end_reason        TEXT,
        conversation_id   TEXT NOT NULL,
        parent_call_id    TEXT,
        context           TEXT,
        version           INTEGER NOT NULL DEFAULT 0
      )`,
      "CREATE INDEX queue_entries_open ON queue_entries (line_id, priority DESC, enqueued_at, id) WHERE state IN ('waiting', 'offered')",
      'CREATE INDEX queue_entries_line_time ON queue_entries (line_id, enqueued_at)',
      `CREATE TABLE line_offers (
        entry_id   TEXT NOT NULL REFERENCES queue_entries (id) ON DELETE CASCADE,
        agent_id   TEXT NOT NULL REFERENCES users (id),
        round      INTEGER NOT NULL,
        device_ids TEXT NOT NULL DEFAULT '[]',
        offered_at TEXT NOT NULL,
        outcome    TEXT NOT NULL DEFAULT 'pending'
                   CHECK (outcome IN ('pending', 'accepted', 'declined', 'timed-out', 'withdrawn', 'answered-elsewhere', 'caller-left')),
        ended_at   TEXT,
        PRIMARY KEY (entry_id, agent_id)
      )`,
      // Legs and conversations: a line call's calls row says its line; issue 15 (transfers) uses the rest.
      'ALTER TABLE calls ADD COLUMN line_id TEXT',
      'ALTER TABLE calls ADD COLUMN conversation_id TEXT',
      'ALTER TABLE calls ADD COLUMN parent_call_id TEXT',
      "ALTER TABLE calls ADD COLUMN leg_kind TEXT NOT NULL DEFAULT 'direct' CHECK (leg_kind IN ('direct', 'line', 'consult', 'transfer', 'transferred'))",
      'CREATE INDEX calls_conversation ON calls (conversation_id) WHERE conversation_id IS NOT NULL',
      'CREATE INDEX calls_line ON calls (line_id, started_at) WHERE line_id IS NOT NULL',
      `CREATE TABLE call_wrapups (
        call_id      TEXT NOT NULL REFERENCES calls (id),
        agent_id     TEXT NOT NULL REFERENCES users (id),
        line_id      TEXT REFERENCES lines (id),
        mode         TEXT NOT NULL CHECK (mode IN ('none', 'optional', 'time-boxed')),
        notes        TEXT NOT NULL DEFAULT '',
        outcome_code TEXT,
        tags         TEXT NOT NULL DEFAULT '[]',
        started_at   TEXT NOT NULL,
        ended_at     TEXT,
        ended_by     TEXT CHECK (ended_by IN ('done', 'timer', 'superseded', 'expired')),
        updated_at   TEXT NOT NULL,
        edit_until   TEXT NOT NULL,
        PRIMARY KEY (call_id, agent_id)
      )`,
      'CREATE INDEX call_wrapups_open ON call_wrapups (agent_id) WHERE ended_at IS NULL',
    ]),
  },
  {
    // Issue 15: transfers. Blind and consult share one row (a second leg agent -> target plus this row); the
    // legs are ordinary calls rows linked into one conversation (conversation_id = the first call's id, NULL on
    // older rows: the call is its own conversation; parent_call_id = the call a leg came from).
    name: '0010-transfers',
    ...same([
      `CREATE TABLE transfers (
        id                TEXT PRIMARY KEY,
        original_call_id  TEXT NOT NULL REFERENCES calls (id),
        conversation_id   TEXT NOT NULL,
        kind              TEXT NOT NULL CHECK (kind IN ('blind', 'consult')),
        transferor_id     TEXT NOT NULL REFERENCES users (id),
        transferor_device TEXT NOT NULL,
        customer_id       TEXT NOT NULL REFERENCES users (id),
        customer_device   TEXT NOT NULL,
        target_id         TEXT NOT NULL REFERENCES users (id),
        leg_call_id       TEXT,
        new_call_id       TEXT,
        state             TEXT NOT NULL CHECK (state IN ('ringing', 'consulting', 'merged', 'completed', 'cancelled', 'failed')),
        live_leg          TEXT NOT NULL DEFAULT 'leg' CHECK (live_leg IN ('original', 'leg', 'both')),
        auto_complete     INTEGER NOT NULL DEFAULT 0,
        completed_by      TEXT CHECK (completed_by IN ('transferor', 'system')),
        end_reason        TEXT,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        ended_at          TEXT,
        version           INTEGER NOT NULL DEFAULT 0
      )`,
      // One open transfer per call: of two transfers started at once (any node), exactly one INSERT wins.
      "CREATE UNIQUE INDEX transfers_one_open ON transfers (original_call_id) WHERE state IN ('ringing', 'consulting', 'merged')",
      "CREATE UNIQUE INDEX transfers_open_leg ON transfers (leg_call_id) WHERE state IN ('ringing', 'consulting', 'merged')",
      "CREATE INDEX transfers_open_by_transferor ON transfers (transferor_id) WHERE state IN ('ringing', 'consulting', 'merged')",
      'CREATE INDEX transfers_conversation ON transfers (conversation_id)',
    ]),
  },
];

/**
 * On SQLite every step also sets PRAGMA user_version to its ordinal, in the step's own transaction (SQLite
 * DDL is transactional; Kysely's Migrator does not wrap SQLite steps), so a step is never half-applied and a
 * file is never migrated twice, also when the process dies between a step and its kysely_migration row.
 * That is the numbering the pre-Kysely code used for steps 1..5, so a file it made upgrades in place.
 */
async function userVersion(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db);
  return rows[0]?.user_version ?? 0;
}

async function appliedAsModule(db: Kysely<unknown>, legacy: SchemaStep['legacyModule']): Promise<boolean> {
  if (!legacy) return false;
  const { rows: tables } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'module_versions'`.execute(db);
  if (tables.length === 0) return false;
  const { rows } = await sql<{ version: number }>`SELECT version FROM module_versions WHERE module = ${legacy.module}`.execute(db);
  return (rows[0]?.version ?? 0) >= legacy.version;
}

async function runSqliteStep(db: Kysely<unknown>, step: SchemaStep, ordinal: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if ((await userVersion(trx)) >= ordinal) return;
    if (!(await appliedAsModule(trx, step.legacyModule))) {
      for (const statement of step.sqlite) await sql.raw(statement).execute(trx);
    }
    await sql.raw(`PRAGMA user_version = ${ordinal}`).execute(trx);
  });
}

/** The steps as Kysely migrations for one dialect (run by Kysely's Migrator, under its lock). */
export function migrationProvider(dialect: Dialect, steps: readonly SchemaStep[] = SCHEMA_STEPS): MigrationProvider {
  return {
    getMigrations: () =>
      Promise.resolve(
        Object.fromEntries(
          steps.map((step, index): [string, KyselyMigration] => [
            step.name,
            {
              async up(db) {
                if (dialect === 'sqlite') return runSqliteStep(db, step, index + 1);
                for (const statement of step.postgres) await sql.raw(statement).execute(db);
              },
            },
          ]),
        ),
      ),
  };
}
