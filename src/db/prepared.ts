import { type Compilable, CompiledQuery } from 'kysely';
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
