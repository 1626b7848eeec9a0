import type { UsersTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildPage, decodeCursor, type PageRequest } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import { connectionsOf } from '../link/accounts.service.ts';
import { issueUserToken } from './tokens.ts';
import * as repo from './users.repo.ts';
import {
  UserListFilters as FiltersSchema,
  type ListUsersQuery,
  type UserListFilters,
  type UserObject,
} from './users.schema.ts';

export function toUserObject(
  row: UsersTable,
  connected: { items: string[]; employers: string[] } = { items: [], employers: [] },
): UserObject {
  return {
    id: row.id,
    created_at: iso(row.created_at),
    external_id: row.external_id,
    first_name: row.first_name,
    last_name: row.last_name,
    email: row.email,
    phone_number: row.phone_number,
    items_connected: connected.items,
    employers_connected: connected.employers,
  };
}

export async function getUser(deps: Pick<Deps, 'db'>, clientId: string, id: string): Promise<UserObject> {
  const row = await repo.findUser(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  return toUserObject(row, (await connectionsOf(deps, clientId, [row.id])).get(row.id));
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
  const connected = await connectionsOf(
    deps,
    clientId,
    result.rows.map((r) => r.id),
  );
  const results = result.rows.map((r) => toUserObject(r, connected.get(r.id)));
  return { next: result.next, previous: result.previous, results };
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
