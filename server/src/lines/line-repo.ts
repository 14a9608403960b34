import { randomUUID } from 'node:crypto';
import { LINE_DEFAULTS, OutcomeCode, ProtocolError, type Line, type LineConfig, type LineRef } from '../../../shared/protocol';
import { compileOnce } from '../db/compiled';
import type { Store } from '../db/database';
import type { Db, LinesTable } from '../db/schema';
import { z } from 'zod';

/** A line as stored: its identity, settings and counts. */
export interface StoredLine extends Line {
  version: number;
}

type Patch = Partial<LineConfig> & { name?: string; displayName?: string };

const StoredOutcomeCodes = z.array(OutcomeCode);
const NEVER_A_PASSWORD = '!'; // never an argon2 hash; AccountService.login refuses kind 'line' before verifying anyway

function settingsColumns(config: Partial<LineConfig>): Partial<LinesTable> {
  return {
    ...(config.strategy !== undefined ? { strategy: config.strategy } : {}),
    ...(config.offerTimeoutMs !== undefined ? { offer_timeout_ms: config.offerTimeoutMs } : {}),
    ...(config.maxWaitMs !== undefined ? { max_wait_ms: config.maxWaitMs } : {}),
    ...(config.whenNoAgent !== undefined ? { when_no_agent: config.whenNoAgent } : {}),
    ...(config.wrapUp !== undefined ? { wrap_mode: config.wrapUp.mode, wrap_ms: config.wrapUp.timeMs } : {}),
    ...(config.outcomeCodes !== undefined ? { outcome_codes: JSON.stringify(config.outcomeCodes) } : {}),
    ...(config.outcomeRequired !== undefined ? { outcome_required: config.outcomeRequired ? 1 : 0 } : {}),
    ...(config.expectedHandleMs !== undefined ? { expected_handle_ms: config.expectedHandleMs } : {}),
    ...(config.timeZone !== undefined ? { time_zone: config.timeZone } : {}),
  };
}

/** Unique-key violations on both drivers (SQLite: SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY; Postgres: 23505). */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

const nameTaken = (name: string) => new ProtocolError('NAME_TAKEN', `The name ${name} is taken by a user or another line`);

/**
 * The open lines a user is a member of, by name. Read for both parties at every call's end (is either an agent
 * whose status or line must move?), so it is compiled once: Kysely building it each time cost more than running it.
 */
const LINES_OF_MEMBER = compileOnce((db, userId: string) =>
  db
    .selectFrom('line_members')
    .innerJoin('lines', 'lines.id', 'line_members.line_id')
    .innerJoin('users', 'users.id', 'lines.id')
    .select(['lines.id', 'users.username', 'users.display_name'])
    .where('line_members.user_id', '=', userId)
    .where('lines.closed_at', 'is', null)
    .orderBy('users.username'),
);

/** Which of two users (a call's parties) are members of an open line (agents): what the end of every call asks. */
const AGENTS_AMONG = compileOnce((db, first: string, second: string) =>
  db
    .selectFrom('line_members')
    .innerJoin('lines', 'lines.id', 'line_members.line_id')
    .select('line_members.user_id')
    .distinct()
    .where('line_members.user_id', 'in', [first, second])
    .where('lines.closed_at', 'is', null),
);

/** The lines, their settings and members (SQLite or Postgres). */
export class LineRepo {
  private readonly db: Db;

  constructor(private readonly store: Store) {
    this.db = store.db;
  }

  private selectLines() {
    return this.db
      .selectFrom('lines')
      .innerJoin('users', 'users.id', 'lines.id')
      .selectAll('lines')
      .select(['users.username', 'users.display_name'])
      .select((eb) => eb.selectFrom('line_members').whereRef('line_members.line_id', '=', 'lines.id').select((c) => c.fn.countAll<number | string>().as('n')).as('members'));
  }

  private toLine(row: Awaited<ReturnType<ReturnType<LineRepo['selectLines']>['executeTakeFirstOrThrow']>>): StoredLine {
    const codes = StoredOutcomeCodes.safeParse(JSON.parse(row.outcome_codes));
    return {
      lineId: row.id,
      name: row.username,
      displayName: row.display_name,
      strategy: row.strategy,
      offerTimeoutMs: Number(row.offer_timeout_ms),
      maxWaitMs: Number(row.max_wait_ms),
      whenNoAgent: row.when_no_agent,
      wrapUp: { mode: row.wrap_mode, timeMs: Number(row.wrap_ms) },
      outcomeCodes: codes.success ? codes.data : [],
      outcomeRequired: Number(row.outcome_required) === 1,
      expectedHandleMs: Number(row.expected_handle_ms),
      timeZone: row.time_zone,
      members: Number(row.members ?? 0),
      createdAt: row.created_at,
      closedAt: row.closed_at,
      version: Number(row.version),
    };
  }

  async create(input: Patch & { name: string; displayName: string }): Promise<StoredLine> {
    const lineId = randomUUID();
    const now = new Date().toISOString();
    const config = { ...LINE_DEFAULTS, ...input };
    try {
      await this.db.transaction().execute(async (tx) => {
        const user = await tx
          .insertInto('users')
          .values({ id: lineId, username: input.name, display_name: input.displayName, password_hash: NEVER_A_PASSWORD, created_at: now, kind: 'line' })
          .onConflict((conflict) => conflict.column('username').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!user) throw nameTaken(input.name);
        await tx
          .insertInto('lines')
          .values({
            id: lineId,
            strategy: config.strategy,
            offer_timeout_ms: config.offerTimeoutMs,
            max_wait_ms: config.maxWaitMs,
            when_no_agent: config.whenNoAgent,
            wrap_mode: config.wrapUp.mode,
            wrap_ms: config.wrapUp.timeMs,
            outcome_codes: JSON.stringify(config.outcomeCodes),
            outcome_required: config.outcomeRequired ? 1 : 0,
            expected_handle_ms: config.expectedHandleMs,
            time_zone: config.timeZone,
            created_at: now,
            updated_at: now,
          })
          .execute();
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
    return this.require(lineId);
  }

  /** A line by id or by name (closed ones too); undefined when there is none. */
  async find(idOrName: string): Promise<StoredLine | undefined> {
    const column = z.string().uuid().safeParse(idOrName).success ? 'lines.id' : 'users.username';
    const row = await this.selectLines().where(column, '=', idOrName).executeTakeFirst();
    return row && this.toLine(row);
  }

  /** The open line a stored call came from (an answered line call), or null (not a line call, or its line closed). */
  async openLineOfCall(callId: string): Promise<StoredLine | null> {
    const row = await this.db.selectFrom('calls').select('line_id').where('id', '=', callId).executeTakeFirst();
    const line = row?.line_id ? await this.find(row.line_id) : undefined;
    return line && line.closedAt === null ? line : null;
  }

  /** An open line by id or name, else LINE_NOT_FOUND. */
  async require(idOrName: string): Promise<StoredLine> {
    const line = await this.find(idOrName);
    if (!line || line.closedAt !== null) throw new ProtocolError('LINE_NOT_FOUND', `No line ${idOrName}`);
    return line;
  }

  async list(memberOf?: string): Promise<StoredLine[]> {
    let query = this.selectLines().where('lines.closed_at', 'is', null);
    if (memberOf !== undefined) query = query.where('lines.id', 'in', this.db.selectFrom('line_members').select('line_id').where('user_id', '=', memberOf));
    return (await query.orderBy('users.username').execute()).map((row) => this.toLine(row));
  }

  async update(lineId: string, patch: Patch): Promise<StoredLine> {
    const { name, displayName, ...config } = patch;
    try {
      await this.db.transaction().execute(async (tx) => {
        if (name !== undefined || displayName !== undefined) {
          await tx
            .updateTable('users')
            .set({ ...(name !== undefined ? { username: name } : {}), ...(displayName !== undefined ? { display_name: displayName } : {}) })
            .where('id', '=', lineId)
            .execute();
        }
        await tx
          .updateTable('lines')
          .set((eb) => ({ ...settingsColumns(config), updated_at: new Date().toISOString(), version: eb('version', '+', 1) }))
          .where('id', '=', lineId)
          .execute();
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name ?? '');
      throw error;
    }
    return this.require(lineId);
  }

  /** Closes the line: new callers get USER_NOT_FOUND; the name stays reserved (old records name it). */
  async close(lineId: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db.updateTable('lines').set({ closed_at: now, updated_at: now }).where('id', '=', lineId).where('closed_at', 'is', null).execute();
  }

  async members(lineId: string): Promise<Array<{ userId: string; username: string; displayName: string; addedAt: string }>> {
    const rows = await this.db
      .selectFrom('line_members')
      .innerJoin('users', 'users.id', 'line_members.user_id')
      .select(['users.id', 'users.username', 'users.display_name', 'line_members.added_at'])
      .where('line_members.line_id', '=', lineId)
      .orderBy('users.username')
      .execute();
    return rows.map((row) => ({ userId: row.id, username: row.username, displayName: row.display_name, addedAt: row.added_at }));
  }

  /** Adds a member (idempotent) and gives it an agent_states row. Returns when it was added. */
  async addMember(lineId: string, userId: string): Promise<string> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx.insertInto('line_members').values({ line_id: lineId, user_id: userId, added_at: now }).onConflict((c) => c.columns(['line_id', 'user_id']).doNothing()).execute();
      await tx.insertInto('agent_states').values({ user_id: userId, idle_since: now }).onConflict((c) => c.column('user_id').doNothing()).execute();
    });
    const row = await this.db.selectFrom('line_members').select('added_at').where('line_id', '=', lineId).where('user_id', '=', userId).executeTakeFirstOrThrow();
    return row.added_at;
  }

  /** Returns false when the user was not a member. */
  async removeMember(lineId: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('line_members').where('line_id', '=', lineId).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The open lines the user is a member of, by name. */
  async linesOf(userId: string): Promise<LineRef[]> {
    const { rows } = await this.db.executeQuery(LINES_OF_MEMBER(this.store.dialect, this.db, userId));
    return (rows as Array<{ id: string; username: string; display_name: string }>).map((row) => ({ lineId: row.id, name: row.username, displayName: row.display_name }));
  }

  /** Which of a call's two parties are agents (members of an open line), in one read: the end of every call asks it. */
  async agentsAmong(first: string, second: string): Promise<Set<string>> {
    const { rows } = await this.db.executeQuery(AGENTS_AMONG(this.store.dialect, this.db, first, second));
    return new Set((rows as Array<{ user_id: string }>).map((row) => row.user_id));
  }
}
