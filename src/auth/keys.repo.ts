import type { Db } from '../db/client.ts';

export function findKey(db: Db, id: string) {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listKeys(db: Db) {
  return db
    .selectFrom('api_keys')
    .innerJoin('clients', 'clients.id', 'api_keys.client_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.client_id',
      'clients.name as client_name',
      'api_keys.created_at',
      'api_keys.revoked_at',
    ])
    .orderBy('api_keys.created_at')
    .execute();
}

/** One client's keys, newest first; never their secrets. */
export function listClientKeys(db: Db, clientId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'name', 'client_id', 'created_at', 'revoked_at'])
    .where('client_id', '=', clientId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertClient(db: Db, row: { id: string; name: string; created_at: string }) {
  await db.insertInto('clients').values(row).execute();
}

export function findClient(db: Db, id: string) {
  return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertKey(
  db: Db,
  row: { id: string; client_id: string; name: string; secret_hash: string; created_at: string },
) {
  await db
    .insertInto('api_keys')
    .values({ ...row, revoked_at: null })
    .execute();
}

/** Inserts the key unless one with its id exists; false when it did. */
export async function insertKeyIfAbsent(
  db: Db,
  row: { id: string; client_id: string; name: string; secret_hash: string; created_at: string },
): Promise<boolean> {
  const res = await db
    .insertInto('api_keys')
    .values({ ...row, revoked_at: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateKeySecret(db: Db, id: string, secretHash: string) {
  await db.updateTable('api_keys').set({ secret_hash: secretHash }).where('id', '=', id).execute();
}

export async function revokeKey(db: Db, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
