import type { Db } from '../db/client.ts';
import type { IdempotencyKeysTable } from '../db/tables.ts';

export type KeyRow = IdempotencyKeysTable;

/** Claims a key that no request holds yet; false when a row for it exists. */
export async function insertPending(
  db: Db,
  row: { client_id: string; key: string; request_hash: string; created_at: string; locked_until: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('idempotency_keys')
    .values({ ...row, state: 'pending', status_code: null, content_type: null, body: null, resource: null })
    .onConflict((oc) => oc.columns(['client_id', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function findKey(db: Db, clientId: string, key: string): Promise<KeyRow | undefined> {
  return db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/**
 * Claims a key whose row is stale (a lapsed claim, or older than the retention), provided
 * the row is still the one `seen`: of two requests taking over, one wins. A committed key
 * stays committed (its change is made); the new holder only answers for it.
 */
export async function takeOver(
  db: Db,
  seen: KeyRow,
  claim: { request_hash: string; created_at: string; locked_until: string },
  opts: { fresh: boolean },
): Promise<boolean> {
  const fresh =
    seen.state === 'committed' && !opts.fresh
      ? { locked_until: claim.locked_until }
      : {
          ...claim,
          state: 'pending' as const,
          status_code: null,
          content_type: null,
          body: null,
          resource: null,
        };
  const res = await db
    .updateTable('idempotency_keys')
    .set(fresh)
    .where('client_id', '=', seen.client_id)
    .where('key', '=', seen.key)
    .where('state', '=', seen.state)
    .where('created_at', '=', seen.created_at)
    .where('locked_until', seen.locked_until === null ? 'is' : '=', seen.locked_until)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Marks the key committed, naming what the request's change made, inside that change's
 * transaction; false when the request no longer holds the key (its lease lapsed and a retry
 * took it over), and then the change must roll back. A change made in parts (a batch) marks
 * it again with each part, naming all made so far: `again`.
 */
export async function markCommitted(
  trx: Db,
  clientId: string,
  key: string,
  lockedUntil: string,
  resource: string,
  again = false,
): Promise<boolean> {
  const res = await trx
    .updateTable('idempotency_keys')
    .set({ state: 'committed', resource })
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .where('state', 'in', again ? ['pending', 'committed'] : ['pending'])
    .where('locked_until', '=', lockedUntil)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Stores the answer of the request holding the claim `lockedUntil`. */
export async function complete(
  db: Db,
  clientId: string,
  key: string,
  lockedUntil: string,
  answer: { status_code: number; content_type: string | null; body: string },
): Promise<boolean> {
  const res = await db
    .updateTable('idempotency_keys')
    .set({ ...answer, state: 'done', locked_until: null })
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .where('state', 'in', ['pending', 'committed'])
    .where('locked_until', '=', lockedUntil)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Gives a claim up, so the key can be used again as if never seen. */
export async function release(db: Db, clientId: string, key: string, lockedUntil: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('client_id', '=', clientId)
    .where('key', '=', key)
    .where('state', '=', 'pending')
    .where('locked_until', '=', lockedUntil)
    .execute();
}

export async function pruneKeys(db: Db, before: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('created_at', '<', before).execute();
}
