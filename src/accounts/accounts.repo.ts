import type { Db } from '../db/client.ts';
import type { PageRequest } from '../db/keyset.ts';
import { keyset } from '../db/keyset.ts';
import type { AccountsTable } from '../db/tables.ts';
import type { AccountFilters } from './accounts.schema.ts';

export function findAccount(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findUserAccount(db: Db, clientId: string, userId: string, itemId: string) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('user_id', '=', userId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
}

export function listAccounts(db: Db, clientId: string, filters: AccountFilters, page: PageRequest) {
  let q = db.selectFrom('accounts').selectAll().where('client_id', '=', clientId);
  if (filters.user !== undefined) q = q.where('user_id', '=', filters.user);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}

/**
 * Records a login attempt on the user's account at this Item, creating it the first time.
 * A connected account stays connected whatever a later attempt brings.
 */
export async function recordLoginAttempt(db: Db, row: AccountsTable): Promise<void> {
  await db
    .insertInto('accounts')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['client_id', 'user_id', 'item_id'])
        .doUpdateSet({
          status: row.status,
          error_code: row.error_code,
          sandbox_login: row.sandbox_login,
          updated_at: row.updated_at,
        })
        .where('accounts.status', '!=', 'connected'),
    )
    .execute();
}

/** connecting → connected, once: a repeated code submission finds nothing left to move. */
export async function markAccountConnected(
  db: Db,
  clientId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const res = await db
    .updateTable('accounts')
    .set({ status: 'connected', error_code: null, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('status', '=', 'connecting')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** The Items each of these users has a connected account at, for the users' `items_connected`. */
export function connectedItemsOf(db: Db, clientId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('accounts')
    .select(['user_id', 'item_id'])
    .where('client_id', '=', clientId)
    .where('user_id', 'in', userIds)
    .where('status', '=', 'connected')
    .orderBy('created_at')
    .execute();
}
