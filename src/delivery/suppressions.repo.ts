import type { Db } from '../db/client.ts';
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
