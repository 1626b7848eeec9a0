import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's row types
export async function up(db: Kysely<any>): Promise<void> {
  // Why a delivery went out: the first send, a re-send, or a reminder.
  await db.schema
    .alterTable('deliveries')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('invite'))
    .execute();
  // Deliveries made after their invite was created came from re-sends.
  await sql`UPDATE deliveries SET kind = 'resend' WHERE created_at > (
    SELECT i.created_at FROM invites i WHERE i.client_id = deliveries.client_id AND i.id = deliveries.invite_id
  )`.execute(db);
  // Reminders sent since the invite was last sent (a re-send starts the count again).
  await db.schema
    .alterTable('invites')
    .addColumn('reminder_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
