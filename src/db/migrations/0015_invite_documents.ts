import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // The API lists an invite's documents and response forms, newest first.
  for (const table of ['documents', 'form_responses']) {
    await db.schema
      .createIndex(`${table}_invite`)
      .on(table)
      .columns(['client_id', 'invite_id', 'created_at', 'id'])
      .execute();
  }
}
