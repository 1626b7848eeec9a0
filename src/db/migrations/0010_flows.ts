import type { Kysely } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // Named Email/SMS templates that invites pick with `flow_id`.
  await db.schema
    .createTable('flows')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('template', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addPrimaryKeyConstraint('flows_pk', ['client_id', 'id'])
    .execute();
  await db.schema.createIndex('flows_id').on('flows').column('id').unique().execute();
  await db.schema.createIndex('flows_list').on('flows').columns(['client_id', 'created_at', 'id']).execute();

  // One row per client that changed its invite settings.
  await db.schema
    .createTable('invite_settings')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema.alterTable('invites').addColumn('rendered_flow_id', 'text').execute();
}
