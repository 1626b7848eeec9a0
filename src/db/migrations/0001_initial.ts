import type { Kysely } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('clients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .execute();
  await db.schema.createIndex('api_keys_client').on('api_keys').columns(['client_id']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone_number', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['client_id', 'id'])
    .execute();
  await db.schema.createIndex('users_list').on('users').columns(['client_id', 'created_at', 'id']).execute();
  await db.schema
    .createIndex('users_external_id')
    .on('users')
    .columns(['client_id', 'external_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('invite_templates')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('deleted_at', t.timestamp)
    .addPrimaryKeyConstraint('invite_templates_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('invite_templates_list')
    .on('invite_templates')
    .columns(['client_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('invites')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('phone_number', 'text')
    .addColumn('phone_e164', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text')
    .addColumn('flow_id', 'text')
    .addColumn('flow_items', t.json, (c) => c.notNull())
    .addColumn('reply_to', t.json, (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('dds_config', t.json)
    .addColumn('override_invite_template', t.json)
    .addColumn('invite_template_id', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('invited_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .addPrimaryKeyConstraint('invites_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('invites_list')
    .on('invites')
    .columns(['client_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('invites_status')
    .on('invites')
    .columns(['client_id', 'status', 'created_at', 'id'])
    .execute();
  // The landing page finds an invite by its id alone.
  await db.schema.createIndex('invites_id').on('invites').columns(['id']).unique().execute();

  await db.schema
    .createTable('invite_reply_to')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('invite_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('invite_reply_to_pk', ['client_id', 'email', 'created_at', 'invite_id'])
    .execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('invite_id', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('status_detail', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('sent_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('deliveries_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('deliveries_invite')
    .on('deliveries')
    .columns(['client_id', 'invite_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('outbox_messages')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text')
    .addColumn('reply_to', 'text')
    .addColumn('message_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('outbox_messages_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_messages_list')
    .on('outbox_messages')
    .columns(['client_id', 'created_at', 'id'])
    .execute();
}
