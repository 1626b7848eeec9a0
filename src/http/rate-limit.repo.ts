import type { CompiledQuery } from 'kysely';
import type { Db } from '../db/client.ts';

export interface WindowCounts {
  /** Requests counted in the current window, this one included when it was a hit. */
  current: number;
  /** Requests counted in the window before it. */
  previous: number;
}

// Placeholders the statement below is compiled with, replaced by each call's values.
const BUCKET = '\u0000bucket';
const WINDOW = '\u0000window';
const PREVIOUS = '\u0000previous';
const BY = -7_654_321;

/**
 * Kysely builds and compiles a query on every call, which costs more than running this
 * statement; it is compiled once per database instead.
 */
const compiledHits = new WeakMap<Db, CompiledQuery>();

function hitStatement(db: Db): CompiledQuery {
  let compiled = compiledHits.get(db);
  if (!compiled) {
    compiled = db
      .insertInto('rate_limits')
      .values({ bucket: BUCKET, window_start: WINDOW, count: BY })
      .onConflict((oc) =>
        oc
          .columns(['bucket', 'window_start'])
          .doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', BY) })),
      )
      .returning((eb) => [
        'count',
        eb
          .selectFrom('rate_limits as p')
          .select('p.count')
          .where('p.bucket', '=', BUCKET)
          .where('p.window_start', '=', PREVIOUS)
          .as('previous'),
      ])
      .compile();
    compiledHits.set(db, compiled);
  }
  return compiled;
}

/**
 * Counts `by` requests in `bucket`'s current window and reads the previous window's count,
 * in one statement, so concurrent requests on every process see one exact counter.
 */
export async function hit(
  db: Db,
  bucket: string,
  windowStart: string,
  previousStart: string,
  by = 1,
): Promise<WindowCounts> {
  const statement = hitStatement(db);
  const values: Record<string, string> = {
    [BUCKET]: bucket,
    [WINDOW]: windowStart,
    [PREVIOUS]: previousStart,
  };
  const parameters = statement.parameters.map((p) =>
    p === BY ? by : typeof p === 'string' && p in values ? values[p] : p,
  );
  const { rows } = await db.executeQuery<{ count: number; previous: number | null }>({
    ...statement,
    parameters,
  });
  const row = rows[0];
  if (!row) throw new Error('the rate limit window was not returned');
  return { current: Number(row.count), previous: Number(row.previous ?? 0) };
}

/** Takes back `by` counted requests that were refused, so refusals do not hold the limit down. */
export async function unhit(db: Db, bucket: string, windowStart: string, by = 1): Promise<void> {
  await db
    .updateTable('rate_limits')
    .set((eb) => ({ count: eb('count', '-', by) }))
    .where('bucket', '=', bucket)
    .where('window_start', '=', windowStart)
    .execute();
}

/** The counts of `bucket` without counting anything. */
export async function peek(
  db: Db,
  bucket: string,
  windowStart: string,
  previousStart: string,
): Promise<WindowCounts> {
  const rows = await db
    .selectFrom('rate_limits')
    .select(['window_start', 'count'])
    .where('bucket', '=', bucket)
    .where('window_start', 'in', [windowStart, previousStart])
    .execute();
  const count = (start: string) =>
    Number(rows.find((r) => new Date(r.window_start).getTime() === new Date(start).getTime())?.count ?? 0);
  return { current: count(windowStart), previous: count(previousStart) };
}

/** Drops windows too old to weigh on any limit. */
export async function pruneWindows(db: Db, before: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
}
