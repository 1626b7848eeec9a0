import type { Kysely } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // What only a Shareable URL flow has (active, its notification emails, whether ?email= may
  // replace them); null for Email/SMS templates.
  await db.schema.alterTable('flows').addColumn('shareable', t.json).execute();

  // The invite each landing form of a Shareable URL made: the form sent twice makes one.
  await db.schema
    .createTable('shareable_entries')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('invite_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('shareable_entries_pk', ['client_id', 'flow_id', 'submission_id'])
    .execute();
}
