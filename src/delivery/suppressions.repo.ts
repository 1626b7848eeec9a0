import type { Db } from '../db/client.ts';
import { keyset, type PageRequest } from '../db/keyset.ts';
import type { SuppressionsTable } from '../db/tables.ts';

export function findSuppression(db: Db, clientId: string, channel: 'email' | 'sms', address: string) {
  return db
    .selectFrom('suppressions')
    .select(['reason', 'created_at'])
    .where('client_id', '=', clientId)
    .where('channel', '=', channel)
    .where('address', '=', address.toLowerCase())
    .executeTakeFirst();
}

export async function addSuppression(db: Db, row: SuppressionsTable): Promise<void> {
  await db
    .insertInto('suppressions')
    .values({ ...row, address: row.address.toLowerCase() })
    .onConflict((oc) => oc.columns(['client_id', 'channel', 'address']).doNothing())
    .execute();
}

/** One page of the client's suppressions, newest first; an address names one (emails hold `@`, numbers never). */
export function listSuppressions(db: Db, clientId: string, page: PageRequest) {
  const q = db.selectFrom('suppressions').selectAll().where('client_id', '=', clientId);
  return keyset(q, { createdAt: 'created_at', id: 'address' }, page).execute();
}

/** Every suppression, of one client or of all, oldest first (the command line's list). */
export function allSuppressions(db: Db, clientId: string | undefined) {
  let q = db.selectFrom('suppressions').selectAll();
  if (clientId !== undefined) q = q.where('client_id', '=', clientId);
  return q.orderBy('created_at').orderBy('client_id').orderBy('address').execute();
}

/** Releases `address` in one client or in all; how many suppressions went. */
export async function deleteSuppression(
  db: Db,
  clientId: string | undefined,
  address: string,
): Promise<number> {
  let q = db.deleteFrom('suppressions').where('address', '=', address.toLowerCase());
  if (clientId !== undefined) q = q.where('client_id', '=', clientId);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}
