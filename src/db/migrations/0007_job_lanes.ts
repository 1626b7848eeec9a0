import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // Two pools: messages to recipients never wait behind webhooks.
  await db.schema
    .alterTable('jobs')
    .addColumn('lane', 'text', (c) => c.notNull().defaultTo('messages'))
    .execute();
  await db.updateTable('jobs').set({ lane: 'webhooks' }).where('kind', '=', 'webhook.send').execute();
  // Every claim is index seeks over live rows only: the next client with queued jobs, that
  // client's due jobs, the lane's next due time, and leases that ran out.
  await db.schema.dropIndex('jobs_due').execute();
  await db.schema
    .createIndex('jobs_queued')
    .on('jobs')
    .columns(['lane', 'client_id', 'run_at', 'id'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
  await db.schema
    .createIndex('jobs_next')
    .on('jobs')
    .columns(['lane', 'run_at'])
    .where(sql.ref('status'), '=', 'queued')
    .execute();
  // Finished jobs leave the table an hour after they finish, in batches, oldest first.
  for (const status of ['done', 'cancelled']) {
    await db.schema
      .createIndex(`jobs_${status}`)
      .on('jobs')
      .column('updated_at')
      .where(sql.ref('status'), '=', status)
      .execute();
  }
  await db.schema
    .createIndex('jobs_running')
    .on('jobs')
    .column('locked_until')
    .where(sql.ref('status'), '=', 'running')
    .execute();
}
