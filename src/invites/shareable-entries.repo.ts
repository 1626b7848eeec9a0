import type { Db } from '../db/client.ts';
import type { ShareableEntriesTable } from '../db/tables.ts';

/**
 * Claims a landing form's submission for the invite about to be made; false when the form was
 * already sent. On PostgreSQL a concurrent claim waits for the first to commit or roll back,
 * and nothing fails, so the transaction stays usable.
 */
export async function claimEntry(db: Db, row: ShareableEntriesTable): Promise<boolean> {
  const res = await db
    .insertInto('shareable_entries')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'flow_id', 'submission_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The invite a landing form already made. */
export async function entryInvite(
  db: Db,
  entry: Pick<ShareableEntriesTable, 'client_id' | 'flow_id' | 'submission_id'>,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('shareable_entries')
    .select('invite_id')
    .where('client_id', '=', entry.client_id)
    .where('flow_id', '=', entry.flow_id)
    .where('submission_id', '=', entry.submission_id)
    .executeTakeFirst();
  return row?.invite_id;
}
