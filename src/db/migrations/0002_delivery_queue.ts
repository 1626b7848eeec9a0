import { type Kysely, sql } from 'kysely';
import { columnTypes } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(db);
  // The durable queue: one row per unit of work, written in the transaction that caused it.
  await db.schema
    .createTable('jobs')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('invite_id', 'text')
    .addColumn('delivery_id', 'text')
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('run_at', t.timestamp, (c) => c.notNull())
    .addColumn('locked_until', t.timestamp)
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('jobs_pk', ['client_id', 'id'])
    .execute();
  // Claiming looks across clients by due time; this is the one index that does not lead with client_id.
  // Partial: finished jobs pile up, but only live ones are ever claimed.
  await db.schema
    .createIndex('jobs_due')
    .on('jobs')
    .columns(['status', 'run_at'])
    .where(sql.ref('status'), 'in', ['queued', 'running'])
    .execute();
  await db.schema.createIndex('jobs_invite').on('jobs').columns(['client_id', 'invite_id']).execute();

  await db.schema
    .createTable('job_attempts')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text')
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('provider_response', 'text')
    .addColumn('error', 'text')
    .addColumn('detail', t.json)
    .addColumn('started_at', t.timestamp, (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('job_attempts_pk', ['client_id', 'id'])
    .execute();
  await db.schema
    .createIndex('job_attempts_job')
    .on('job_attempts')
    .columns(['client_id', 'job_id', 'attempt'])
    .execute();
  await db.schema
    .createIndex('job_attempts_delivery')
    .on('job_attempts')
    .columns(['client_id', 'delivery_id', 'attempt'])
    .execute();

  for (const [column, type] of [
    ['attempts', 'integer'],
    ['next_attempt_at', t.timestamp],
    ['last_error', 'text'],
    ['provider_message_id', 'text'],
  ] as const) {
    await db.schema
      .alterTable('deliveries')
      .addColumn(column, type, (c) => (column === 'attempts' ? c.notNull().defaultTo(0) : c))
      .execute();
  }

  // Provider callbacks and tracking links name a delivery by its id alone.
  await db.schema.createIndex('deliveries_id').on('deliveries').columns(['id']).unique().execute();

  await db.schema
    .createTable('suppressions')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('suppressions_pk', ['client_id', 'channel', 'address'])
    .execute();

  // Next free send slot per SMS sender, shared by every worker process.
  await db.schema
    .createTable('sender_pacing')
    .addColumn('sender', 'text', (c) => c.primaryKey())
    .addColumn('next_at_ms', 'bigint', (c) => c.notNull())
    .execute();
}
