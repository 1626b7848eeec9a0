import type { Kysely } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('webhooks')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', t.json, (c) => c.notNull())
    .addColumn('config', t.json, (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_sent_at', t.timestamp)
    .addColumn('disabled_at', t.timestamp)
    .addColumn('disabled_reason', 'text')
    .addColumn('failing_since', t.timestamp)
    .addPrimaryKeyConstraint('webhooks_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhooks_list')
    .on('webhooks')
    .columns(['client_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('webhook_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    // Text, not jsonb: the body is re-sent byte for byte, and jsonb would reorder its keys.
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_id', 'text')
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_attempt_at', t.timestamp)
    .addColumn('next_attempt_at', t.timestamp)
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_list')
    .on('webhook_deliveries')
    .columns(['client_id', 'webhook_id', 'created_at', 'id'])
    .execute();
}
