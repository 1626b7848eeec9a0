import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // Each upload counts the files and bytes its invite's user already sent (the upload caps).
  await db.schema.createIndex('documents_user').on('documents').columns(['client_id', 'user_id']).execute();
}
