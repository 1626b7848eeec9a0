import type { Kysely } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // One account per user and Item: a retry or a reconnect updates it rather than adding another.
  await db.schema
    .createTable('accounts')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('invite_id', 'text')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('sandbox_login', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('accounts_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('accounts_user_item')
    .on('accounts')
    .columns(['client_id', 'user_id', 'item_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('accounts_list')
    .on('accounts')
    .columns(['client_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('accounts_user')
    .on('accounts')
    .columns(['client_id', 'user_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('invite_events')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('invite_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('invite_events_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('invite_events_invite')
    .on('invite_events')
    .columns(['client_id', 'invite_id', 'created_at', 'id'])
    .execute();

  // Uploaded files live in the database: one file to back up, and a file is stored in the same
  // transaction as the status change it causes, so a failed request leaves no orphan behind.
  await db.schema
    .createTable('documents')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('invite_id', 'text')
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', t.blob, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('documents_pk', ['client_id', 'id'])
    .execute();
  // A form submitted twice (a double click) stores its file once.
  await db.schema
    .createIndex('documents_submission')
    .on('documents')
    .columns(['client_id', 'submission_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('form_responses')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('invite_id', 'text')
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('form_responses_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('form_responses_submission')
    .on('form_responses')
    .columns(['client_id', 'submission_id'])
    .unique()
    .execute();

  // Embedded Link finds the invite of the user a token names.
  await db.schema.createIndex('invites_user').on('invites').columns(['client_id', 'user_id']).execute();
}
