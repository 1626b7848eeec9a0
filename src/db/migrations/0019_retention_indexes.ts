import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // RETENTION_DAYS finds the oldest rows of each table by the column that ages it; without
  // these each batch would read the whole table. idempotency_keys and rate_limits have theirs.
  await db.schema.createIndex('outbox_messages_created').on('outbox_messages').column('created_at').execute();
  await db.schema.createIndex('job_attempts_started').on('job_attempts').column('started_at').execute();
  // Only finished deliveries go: the status first, so both statuses are ranges of one index.
  await db.schema
    .createIndex('webhook_deliveries_finished')
    .on('webhook_deliveries')
    .columns(['status', 'updated_at'])
    .execute();
}
