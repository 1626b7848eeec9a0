import { type Expression, PostgresAdapter, type RawBuilder, type Simplify } from 'kysely';
import { jsonArrayFrom as postgresArray } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteArray } from 'kysely/helpers/sqlite';
import type { Db } from './client.ts';

/** A subquery's rows as a JSON array column, in the database's own dialect. */
export function jsonArrayFrom<O>(db: Db, expr: Expression<O>): RawBuilder<Simplify<O>[]> {
  return (db.getExecutor().adapter instanceof PostgresAdapter
    ? postgresArray(expr as never)
    : sqliteArray(expr as never)) as unknown as RawBuilder<Simplify<O>[]>;
}

/** SQLite hands JSON columns back as text; PostgreSQL parses them. */
export function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
