import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect } from 'kysely';
import pg from 'pg';
import { sqlitePath, withoutCredentials } from '../config.ts';
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
  if (file === ':memory:') return new Kysely<Database>({ dialect: sqliteDialect(file) });
  const dir = dirname(resolve(file));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    // EEXIST or ENOTDIR: a file stands where a directory of the path should be.
    const code = codeOf(err);
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'is not a directory' : `cannot be created: ${code}`;
    throw startError(databaseUrl, 'unopenable', `${dir} ${why}`);
  }
  try {
    return new Kysely<Database>({ dialect: sqliteDialect(file) });
  } catch (err) {
    // A directory this user may not write, a file that is not SQLite's, a read-only file system.
    if (codeOf(err) === 'unknown') throw err;
    throw startError(databaseUrl, 'unopenable', codeOf(err));
  }
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Why a process could not start on its database; each has its own exit code in main.ts. */
export type DatabaseProblem = 'unreachable' | 'unauthenticated' | 'missing' | 'unopenable';

export class DatabaseStartError extends Error {
  constructor(
    readonly problem: DatabaseProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where a URL points, for people to read, never with credentials: `where` in log fields (the
 * file, or server/database), `described` in a sentence ("SQLite /abs/file.db", "PostgreSQL
 * database "x" on host:5432").
 */
export function databaseWhere(databaseUrl: string): {
  kind: 'sqlite' | 'postgresql';
  where: string;
  described: string;
} {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const file = sqlitePath(databaseUrl);
    return { kind: 'sqlite', where: file, described: `SQLite ${resolve(file)}` };
  }
  try {
    const url = new URL(databaseUrl);
    const name = decodeURIComponent(url.pathname.slice(1));
    return {
      kind: 'postgresql',
      where: `${url.host}/${name}`,
      described: `PostgreSQL database "${name}" on ${url.host}`,
    };
  } catch {
    return { kind: 'postgresql', where: withoutCredentials(databaseUrl), described: 'PostgreSQL' };
  }
}

// Codes that a server answering later may cure: it is down, starting, or not yet resolvable.
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P03',
]);

function problemOf(err: unknown): DatabaseProblem | 'transient' | null {
  const code = (err as { code?: string } | null)?.code ?? '';
  if (code === '28P01' || code === '28000') return 'unauthenticated';
  if (code === '3D000') return 'missing';
  if (TRANSIENT.has(code) || /timeout/i.test(String((err as Error | null)?.message))) return 'transient';
  if (code === 'ENOTFOUND') return 'unreachable';
  return null;
}

const ADVICE: Record<DatabaseProblem, string> = {
  unreachable: 'start the database or correct the host and port in DATABASE_URL (--database-url)',
  unauthenticated: 'the server refused the user or password: correct them in DATABASE_URL (--database-url)',
  missing: 'create it (createdb) or correct the database name in DATABASE_URL (--database-url)',
  unopenable:
    'point DATABASE_URL (--database-url) at a SQLite file in a directory this user can write, or make that directory writable',
};

function startError(databaseUrl: string, problem: DatabaseProblem, cause: string): DatabaseStartError {
  const { where } = databaseWhere(databaseUrl);
  const what =
    problem === 'missing'
      ? `the database ${where} does not exist`
      : problem === 'unopenable'
        ? `cannot open the SQLite database ${resolve(where)}`
        : `cannot use the database at ${where}`;
  return new DatabaseStartError(problem, `${what} (${cause}): ${ADVICE[problem]}`);
}

/**
 * Waits up to `timeoutMs` for a PostgreSQL server that is down or still starting, so that a
 * process started beside its database needs no ordering; a refused password or a missing
 * database fails at once. SQLite needs no wait.
 */
export async function waitForDatabase(
  databaseUrl: string,
  timeoutMs: number,
  now: () => number = Date.now,
): Promise<void> {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return;
  const deadline = now() + timeoutMs;
  for (;;) {
    const left = deadline - now();
    const client = new pg.Client({
      connectionString: databaseUrl,
      connectionTimeoutMillis: Math.max(1000, Math.min(left, 5000)),
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      const problem = problemOf(err);
      const cause = String((err as { code?: string }).code ?? 'no answer');
      if (problem !== 'transient') throw startError(databaseUrl, problem ?? 'unreachable', cause);
      if (now() + 500 >= deadline) {
        throw startError(
          databaseUrl,
          'unreachable',
          `${cause}, waited ${Math.round(timeoutMs / 1000)} s (DATABASE_CONNECT_TIMEOUT_SECONDS)`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
