import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // Who in the Console sent the invite (null for API sends), for the Console's sender filter and
  // the roles that see only what they sent.
  await db.schema.alterTable('invites').addColumn('sent_by_member_id', 'text').execute();
  await db.schema
    .createIndex('invites_sender')
    .on('invites')
    .columns(['client_id', 'sent_by_member_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('invites_group')
    .on('invites')
    .columns(['client_id', 'group_id', 'created_at', 'id'])
    .execute();
}
