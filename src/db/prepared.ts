import { type Compilable, CompiledQuery } from 'kysely';
import { evictOldest } from '../lib/bounded.ts';
import type { Db } from './client.ts';
import type { Database } from './tables.ts';

const MARK = '\u0000arg';

type Slot = { arg: number } | { value: unknown };

/**
 * A Kysely query built and compiled once per dialect, then run with fresh arguments.
 * Building and compiling a query costs more than SQLite takes to run a point lookup, so
 * hot paths use this. `build` receives placeholder strings for its arguments: use them only
 * as values (never in `in` lists, whose length would change the SQL).
 */
export function prepared<Args extends unknown[], Row>(build: (db: Db, ...args: string[]) => Compilable<Row>) {
  const compiled = new WeakMap<object, { sql: string; slots: Slot[] }>();
  return async (db: Db, ...args: Args): Promise<Row[]> => {
    const adapter = db.getExecutor().adapter;
    let c = compiled.get(adapter);
    if (!c) {
      const query = build(db, ...args.map((_, i) => `${MARK}${i}`)).compile();
      const slots = query.parameters.map(
        (p): Slot =>
          typeof p === 'string' && p.startsWith(MARK) ? { arg: Number(p.slice(MARK.length)) } : { value: p },
      );
      c = { sql: query.sql, slots };
      compiled.set(adapter, c);
    }
    const params = c.slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return (await db.executeQuery<Row>(CompiledQuery.raw(c.sql, params))).rows;
  };
}

/**
 * A prepared single-row insert into `table`; the SQL is compiled once per set of columns.
 */
export function preparedInsert<T extends keyof Database>(table: T) {
  const byColumns = new Map<string, ReturnType<typeof prepared<unknown[], never>>>();
  return async (db: Db, row: Database[T]): Promise<void> => {
    const columns = Object.keys(row as object);
    const key = columns.join(',');
    let query = byColumns.get(key);
    if (!query) {
      query = prepared<unknown[], never>((d, ...args) =>
        d.insertInto(table).values(Object.fromEntries(columns.map((c, i) => [c, args[i]])) as never),
      );
      byColumns.set(key, query);
    }
    await query(db, ...columns.map((c) => (row as unknown as Record<string, unknown>)[c]));
  };
}

/**
 * The fewest bound parameters one statement may carry on either database: SQLite allows
 * 32,766, PostgreSQL 65,535.
 */
const MAX_PARAMETERS = 32_766;

/** Statement shapes kept compiled per table: full chunks repeat, a batch's tail varies. */
const MAX_SHAPES = 64;

/**
 * A prepared multi-row insert into `table`: one statement per run of rows with the same
 * columns, split where it would pass the bound-parameter limit. Rows go in as given, so
 * their order is the caller's. The SQL is compiled once per set of columns and row count.
 */
export function preparedInsertMany<T extends keyof Database>(table: T) {
  const byShape = new Map<string, ReturnType<typeof prepared<unknown[], never>>>();
  const statement = (columns: string[], count: number) => {
    const key = `${columns.join(',')}/${count}`;
    let query = byShape.get(key);
    if (!query) {
      query = prepared<unknown[], never>((d, ...args) =>
        d
          .insertInto(table)
          .values(
            Array.from(
              { length: count },
              (_, r) => Object.fromEntries(columns.map((c, i) => [c, args[r * columns.length + i]])) as never,
            ),
          ),
      );
      if (byShape.size >= MAX_SHAPES) evictOldest(byShape);
      byShape.set(key, query);
    }
    return query;
  };
  return async (db: Db, rows: readonly Database[T][]): Promise<void> => {
    let start = 0;
    while (start < rows.length) {
      const columns = Object.keys(rows[start] as object);
      const key = columns.join(',');
      const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
      let end = start + 1;
      while (
        end < rows.length &&
        end - start < perStatement &&
        Object.keys(rows[end] as object).join(',') === key
      ) {
        end++;
      }
      const args: unknown[] = [];
      for (let r = start; r < end; r++) {
        const row = rows[r] as unknown as Record<string, unknown>;
        for (const c of columns) args.push(row[c]);
      }
      await statement(columns, end - start)(db, ...args);
      start = end;
    }
  };
}
