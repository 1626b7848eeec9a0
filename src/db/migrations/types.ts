import { type Kysely, PostgresAdapter } from 'kysely';

/**
 * Column types where the dialects disagree. SQLite keeps timestamps as ISO 8601 text (which
 * sorts like time) and JSON as text; PostgreSQL gets timestamptz, jsonb and bytea. The
 * PostgreSQL client hands timestamptz back as the same ISO text and jsonb as its text
 * (see db/client.ts), so the code above the repos sees one shape.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export function columnTypes(db: Kysely<any>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    pg,
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    json: pg ? ('jsonb' as const) : ('text' as const),
    blob: pg ? ('bytea' as const) : ('blob' as const),
  };
}
