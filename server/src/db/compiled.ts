import { PostgresAdapter, type Compilable, type CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { Dialect } from './schema';

/** Stands for the i-th argument while a query is compiled once. */
class Slot {
  constructor(readonly index: number) {}
}

type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A statement compiled once and given new values (the caller runs it: `db.executeQuery`, or `Store.commitOne`). Kysely builds and compiles a query every time it runs,
 * which on the call hot path costs about as much as SQLite running it. `build` gets one placeholder per
 * argument (typed as the values they stand for); the compiled parameters keep the placeholders' order, and each
 * run puts the arguments in their place. Only for statements of a fixed shape (no `in` list of varying length).
 * Compiled once per dialect (the SQL differs: `?` and `$1`).
 */
export function compileOnce<Args extends unknown[], Row = unknown>(build: (db: AnyDb, ...slots: Args) => Compilable<Row>) {
  const templates = new Map<Dialect, { query: CompiledQuery<Row>; slotAt: number[] }>();
  return (dialect: Dialect, db: AnyDb, ...args: Args): CompiledQuery<Row> => {
    let template = templates.get(dialect);
    if (!template) {
      const slots = args.map((_, index) => new Slot(index)) as unknown as Args;
      const query = build(db, ...slots).compile();
      template = { query, slotAt: query.parameters.map((parameter) => (parameter instanceof Slot ? parameter.index : -1)) };
      templates.set(dialect, template);
    }
    const { query, slotAt } = template;
    const parameters = query.parameters.map((parameter, i) => (slotAt[i]! >= 0 ? args[slotAt[i]!] : parameter));
    return { ...query, parameters };
  };
}

/** Rows a write changed (Kysely reports it as numAffectedRows for a compiled query). */
export const changed = (result: QueryResult<unknown>) => Number(result.numAffectedRows ?? 0n);

/** Which SQL a Kysely instance (or a transaction of it) speaks: for repositories given only the query layer. */
export const dialectOf = (db: AnyDb): Dialect => (db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite');
