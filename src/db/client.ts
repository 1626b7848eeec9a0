import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect } from 'kysely';
import pg from 'pg';
import { sqlitePath } from '../config.ts';
import { migrationProvider } from './migrations/index.ts';
import { sqliteDialect } from './sqlite.ts';
import type { Database } from './tables.ts';

export type Db = Kysely<Database>;

/** True when `db` talks to PostgreSQL; for the few statements the dialects spell differently. */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const OID = { int8: 20, json: 114, timestamp: 1114, timestamptz: 1184, jsonb: 3802 };

/**
 * PostgreSQL values in the shapes the SQLite file gives, so code above the repos sees one
 * shape: timestamps as ISO 8601 text with milliseconds, JSON as its text, bigints as numbers.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    switch (oid) {
      case OID.timestamptz:
      case OID.timestamp:
        return (v: string) => new Date(oid === OID.timestamp ? `${v}Z` : v).toISOString();
      case OID.json:
      case OID.jsonb:
        return (v: string) => v;
      case OID.int8:
        return (v: string) => Number(v);
      default:
        return pg.types.getTypeParser(oid, format as 'text');
    }
  },
};

function openPostgres(databaseUrl: string, poolSize: number): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types: pgTypes as pg.CustomTypesConfig,
  });
  // An idle connection the server drops (restart, failover, idle timeout) is discarded by the
  // pool and replaced on next use; unheard, its error would end the process.
  pool.on('error', () => {});
  // So is one that breaks while a request holds it: the request's query fails with the error
  // (a 503) and the pool discards the connection on release, but the connection also emits
  // the error, and nothing listens while it is checked out.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the database named by DATABASE_URL: `sqlite:<file>` or `postgres://…`. */
export function openDb(databaseUrl: string, poolSize = 10): Db {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgres(databaseUrl, poolSize);
  const file = sqlitePath(databaseUrl);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  return new Kysely<Database>({ dialect: sqliteDialect(file) });
}

export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
