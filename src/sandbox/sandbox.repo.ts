import type { Db } from '../db/client.ts';
import type { Database } from '../db/tables.ts';

/**
 * What a reset deletes, children before parents. Keys, flows, templates, settings, webhook
 * subscriptions and rate-limit windows stay: they are the integration's setup, not its data.
 */
const ACTIVITY: (keyof Database)[] = [
  'job_attempts',
  'jobs',
  'webhook_deliveries',
  'invite_events',
  'outbox_messages',
  'documents',
  'form_responses',
  'accounts',
  'deliveries',
  'invite_reply_to',
  'shareable_entries',
  'invites',
  'users',
  'suppressions',
  'idempotency_keys',
];

/** Deletes the client's activity; the rows deleted, by table. */
export async function deleteActivity(trx: Db, clientId: string): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  for (const table of ACTIVITY) {
    const res = await trx.deleteFrom(table).where('client_id', '=', clientId).executeTakeFirst();
    deleted[table] = Number(res.numDeletedRows);
  }
  return deleted;
}
