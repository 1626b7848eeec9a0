import type { Db } from '../db/client.ts';
import { keyset } from '../db/keyset.ts';
import type { UsersTable } from '../db/tables.ts';
import type { PageRequest } from '../http/pagination.ts';
import type { UserListFilters } from './users.schema.ts';

export async function insertUser(db: Db, row: UsersTable): Promise<void> {
  await db.insertInto('users').values(row).execute();
}

export function findUser(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function listUsers(db: Db, clientId: string, filters: UserListFilters, page: PageRequest) {
  let q = db.selectFrom('users').selectAll().where('client_id', '=', clientId);
  if (filters.external_id !== undefined) q = q.where('external_id', '=', filters.external_id);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}
