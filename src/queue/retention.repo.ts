import { type RawBuilder, sql } from 'kysely';
import { type Db, isPostgres } from '../db/client.ts';

/** Tables that only grow, which RETENTION_DAYS keeps short. */
export const PRUNED_TABLES = [
  'outbox_messages',
  'job_attempts',
  'webhook_deliveries',
  'idempotency_keys',
  'rate_limits',
] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];

/** The rows of `table` that may go once older than `before`; each condition has its index. */
function agedOut(table: PrunedTable, before: string): RawBuilder<unknown> {
  switch (table) {
    case 'outbox_messages':
      return sql`created_at < ${before}`;
    case 'job_attempts':
      return sql`started_at < ${before}`;
    case 'webhook_deliveries':
      // A delivery still to be tried keeps the payload its next attempt sends.
      return sql`status in ('succeeded', 'failed') and updated_at < ${before}`;
    case 'idempotency_keys':
      return sql`created_at < ${before}`;
    case 'rate_limits':
      return sql`window_start < ${before}`;
  }
}

/**
 * Deletes up to `batch` rows of `table` older than `before`; how many went. The batch's rows
 * are named by their physical address: named by key, PostgreSQL may match them against the
 * whole table with a hash join, which reads every row, where a TID scan reads only those.
 */
export async function pruneOldRows(
  db: Db,
  table: PrunedTable,
  before: string,
  batch: number,
): Promise<number> {
  const from = sql.table(table);
  const where = agedOut(table, before);
  const statement = isPostgres(db)
    ? sql`delete from ${from} where ctid = any(array(select ctid from ${from} where ${where} limit ${batch}))`
    : sql`delete from ${from} where rowid in (select rowid from ${from} where ${where} limit ${batch})`;
  const res = await statement.execute(db);
  return Number(res.numAffectedRows ?? 0);
}
