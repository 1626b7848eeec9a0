import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // The people who work in the Console, each a member of one client.
  await db.schema
    .createTable('members')
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('disabled_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('members_pk', ['client_id', 'id'])
    .execute();
  // An address is one member per client whatever its case; sign-in looks it up the same way.
  await db.schema
    .createIndex('members_email')
    .on('members')
    .unique()
    .column('client_id')
    .expression(sql`lower(email)`)
    .execute();
  await db.schema.createIndex('members_sign_in').on('members').expression(sql`lower(email)`).execute();

  await db.schema
    .createTable('groups')
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createTable('member_groups')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('member_groups_pk', ['client_id', 'member_id', 'group_id'])
    .execute();

  // A session's id is the SHA-256 of the token only the browser's cookie holds.
  await db.schema
    .createTable('console_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('revoked_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('console_sessions_member')
    .on('console_sessions')
    .columns(['client_id', 'member_id'])
    .execute();

  // One-time links (first admin, invited member, password reset), kept as the SHA-256 of the token.
  await db.schema
    .createTable('member_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('used_at', t.timestamp)
    .execute();

  // What the per-email throttles count over a quarter hour (failed sign-ins, reset links sent),
  // each under the SHA-256 of what it counts, so no address is kept in it.
  await db.schema
    .createTable('console_attempts')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('attempted_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('console_attempts_subject')
    .on('console_attempts')
    .columns(['subject', 'attempted_at'])
    .execute();
}
