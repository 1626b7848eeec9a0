import type { UsersTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildPage, decodeCursor, type PageRequest } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import { issueUserToken } from './tokens.ts';
import * as repo from './users.repo.ts';
import {
  UserListFilters as FiltersSchema,
  type ListUsersQuery,
  type UserListFilters,
  type UserObject,
} from './users.schema.ts';

export function toUserObject(row: UsersTable): UserObject {
  return {
    id: row.id,
    created_at: iso(row.created_at),
    external_id: row.external_id,
    first_name: row.first_name,
    last_name: row.last_name,
    email: row.email,
    phone_number: row.phone_number,
    items_connected: [],
    employers_connected: [],
  };
}

export async function getUser(deps: Pick<Deps, 'db'>, clientId: string, id: string): Promise<UserObject> {
  const row = await repo.findUser(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  return toUserObject(row);
}

export async function listUsers(deps: Pick<Deps, 'db' | 'config'>, clientId: string, query: ListUsersQuery) {
  let filters: UserListFilters;
  let page: PageRequest;
  if (query.cursor !== undefined) {
    ({ filters, page } = decodeCursor<UserListFilters>(query.cursor, FiltersSchema));
  } else {
    filters = query.external_id === undefined ? {} : { external_id: query.external_id };
    page = { direction: 'next', key: null, limit: query.limit ?? 10 };
  }
  const rows = await repo.listUsers(deps.db, clientId, filters, page);
  const result = buildPage(rows, page, filters, `${deps.config.PUBLIC_URL}/v2/users`);
  return { next: result.next, previous: result.previous, results: result.rows.map(toUserObject) };
}

export async function createUserToken(
  deps: Pick<Deps, 'db' | 'clock' | 'userTokenKey'>,
  clientId: string,
  userId: string,
): Promise<{ user_token: string }> {
  const row = await repo.findUser(deps.db, clientId, userId);
  if (!row) throw AppError.field('user', `Invalid pk "${userId}" - object does not exist.`);
  return { user_token: await issueUserToken(deps, clientId, row.id) };
}
