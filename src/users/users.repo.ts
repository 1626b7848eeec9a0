import type { Db } from '../db/client.ts';
import type { PageRequest } from '../db/keyset.ts';
import { keyset } from '../db/keyset.ts';
import { preparedInsertMany } from '../db/prepared.ts';
import type { UserListFilters } from './users.schema.ts';

export const insertUsers = preparedInsertMany('users');

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
