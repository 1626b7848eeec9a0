import { sql } from 'kysely';
import type { Db } from '../db/client.ts';

/** A round trip to the database. */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** The migrations recorded as applied, in Kysely's own table (which a new database lacks). */
export async function appliedMigrations(db: Db): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return new Set(rows.map((r) => r.name));
}
