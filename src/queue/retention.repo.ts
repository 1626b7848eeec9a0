import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/client.ts';

/** Tables that only grow, which RETENTION_DAYS keeps short. */
export const PRUNED_TABLES = [
  'outbox_messages',
  'job_attempts',
  'webhook_deliveries',
  'idempotency_keys',
  'rate_limits',
] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];

/** The rows of each table that may go once older than `before`, named by their key. */
function oldRows(table: PrunedTable, before: string, batch: number): RawBuilder<unknown> {
  switch (table) {
    case 'outbox_messages':
      return sql`delete from outbox_messages where (client_id, id) in (
        select client_id, id from outbox_messages where created_at < ${before} limit ${batch})`;
    case 'job_attempts':
      return sql`delete from job_attempts where (client_id, id) in (
        select client_id, id from job_attempts where started_at < ${before} limit ${batch})`;
    case 'webhook_deliveries':
      // A delivery still to be tried keeps the payload its next attempt sends.
      return sql`delete from webhook_deliveries where (client_id, id) in (
        select client_id, id from webhook_deliveries
        where status in ('succeeded', 'failed') and updated_at < ${before} limit ${batch})`;
    case 'idempotency_keys':
      return sql`delete from idempotency_keys where (client_id, key) in (
        select client_id, key from idempotency_keys where created_at < ${before} limit ${batch})`;
    case 'rate_limits':
      return sql`delete from rate_limits where (bucket, window_start) in (
        select bucket, window_start from rate_limits where window_start < ${before} limit ${batch})`;
  }
}

/** Deletes up to `batch` rows of `table` older than `before`; how many went. */
export async function pruneOldRows(
  db: Db,
  table: PrunedTable,
  before: string,
  batch: number,
): Promise<number> {
  const res = await oldRows(table, before, batch).execute(db);
  return Number(res.numAffectedRows ?? 0);
}
