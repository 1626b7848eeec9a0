import type { Db } from '../db/client.ts';

/**
 * Marks the key committed again, naming everything the request's change has made so far,
 * inside the transaction of its latest part; false when the request no longer holds the key
 * (its lease lapsed and a retry took it over), and then that part must roll back.
 */
export async function markPartCommitted(
  trx: Db,
  clientId: string,
  key: string,
  lockedUntil: string,
  resource: string,
): Promise<boolean> {
  const res = await trx
    .updateTable('idempotency_keys')
    .set({ state: 'committed', resource })
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .where('state', 'in', ['pending', 'committed'])
    .where('locked_until', '=', lockedUntil)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
