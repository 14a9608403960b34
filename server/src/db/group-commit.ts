import type Database from 'better-sqlite3';
import type { CompiledQuery, Kysely, QueryResult } from 'kysely';

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Queued {
  query: CompiledQuery;
  resolve: (result: QueryResult<unknown>) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: the single statements issued in one event-loop turn (the call rows, answers and ends
 * of every call that moved in it) run in one transaction, so under load a commit (its WAL write) serves many
 * calls instead of one. Each statement's promise settles only after that commit: whoever awaits it tells a
 * device only what is stored, as with a commit of its own. A statement that fails alone (a constraint) fails
 * only itself (SQLite rolls back the statement, not the transaction); when the transaction cannot commit, or
 * SQLite rolled it back (disk full, I/O error), every statement of the batch fails with that error and nothing
 * of it is stored (the record writer retries storage failures).
 *
 * The batch runs while it holds Kysely's one SQLite connection (`db.connection()`), so it never interleaves
 * with a Kysely transaction or a `durably` one.
 */
export function groupCommit(db: AnyDb, raw: Database.Database, prepare: (sql: string) => Database.Statement) {
  let queue: Queued[] = [];

  const runBatch = (batch: Queued[]) => {
    prepare('begin').run();
    let lastError: unknown = new Error('the group commit transaction ended early');
    const outcomes = batch.map((item): { result: QueryResult<unknown> } | { error: unknown } => {
      try {
        return { result: run(prepare(item.query.sql), item.query.parameters) };
      } catch (error) {
        lastError = error;
        return { error };
      }
    });
    // SQLite rolled the whole transaction back (disk full, I/O error): the error that did it is the last one.
    if (!raw.inTransaction) throw lastError;
    try {
      prepare('commit').run();
    } catch (error) {
      if (raw.inTransaction) prepare('rollback').run();
      throw error;
    }
    outcomes.forEach((outcome, i) => ('error' in outcome ? batch[i]!.reject(outcome.error) : batch[i]!.resolve(outcome.result)));
  };

  const flush = () => {
    const batch = queue;
    queue = [];
    db.connection()
      .execute(async () => runBatch(batch))
      .catch((error: unknown) => batch.forEach((item) => item.reject(error)));
  };

  return <R>(query: CompiledQuery<R>): Promise<QueryResult<R>> =>
    new Promise((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ query, resolve: resolve as Queued['resolve'], reject });
    });
}

/** What Kysely's SQLite driver returns for a statement (rows for a reader, the changes of a write). */
function run(statement: Database.Statement, parameters: readonly unknown[]): QueryResult<unknown> {
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
