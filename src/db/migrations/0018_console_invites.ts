import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // The Console's search finds invites by a prefix of each of these, so each has an index that
  // a range scan can read instead of a scan of every invite.
  await sql`create index invites_search_email on invites (client_id, lower(email))`.execute(db);
  await sql`create index invites_search_first_name on invites (client_id, lower(first_name))`.execute(db);
  await sql`create index invites_search_last_name on invites (client_id, lower(last_name))`.execute(db);
  await db.schema
    .createIndex('invites_search_phone')
    .on('invites')
    .columns(['client_id', 'phone_e164'])
    .execute();
  await db.schema
    .createIndex('invites_search_external_id')
    .on('invites')
    .columns(['client_id', 'external_id'])
    .execute();
  // The flow filter, newest first.
  await db.schema
    .createIndex('invites_flow')
    .on('invites')
    .columns(['client_id', 'rendered_flow_id', 'created_at', 'id'])
    .execute();
}
