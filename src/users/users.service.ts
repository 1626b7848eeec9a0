import { connectionsOf } from '../accounts/accounts.service.ts';
import type { Db } from '../db/client.ts';
import type { UsersTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { listPage, readPage } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import { eraseTargetRows, findErasureTarget } from './erase.repo.ts';
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
  const request = readPage<UserListFilters>(query, {
    filtersSchema: FiltersSchema,
    firstFilters: () => (query.external_id === undefined ? {} : { external_id: query.external_id }),
  });
  const rows = await repo.listUsers(deps.db, clientId, request.filters, request.page);
  const connected = await connectionsOf(
    deps,
    clientId,
    rows.map((r) => r.id),
  );
  return listPage(rows, request, `${deps.config.PUBLIC_URL}/v2/users`, (r) =>
    toUserObject(r, connected.get(r.id)),
  );
}

/** A webhook's data about a new user: the event's facts and the user as of now. */
export function userPayload(trx: Db, clientId: string, userId: string) {
  return async (facts: Record<string, unknown>): Promise<Record<string, unknown> | null> => {
    const user = await repo.findUser(trx, clientId, userId);
    return user ? { ...facts, user: user.id, resource: toUserObject(user) } : null;
  };
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

/**
 * Erases the user: their invites, deliveries, events, accounts, documents, answers, captured
 * messages and webhook deliveries, and the jobs that would still send for them. 404 when the
 * client has no such user (any more).
 */
export async function eraseUser(deps: Pick<Deps, 'db'>, clientId: string, userId: string): Promise<void> {
  const erased = await deps.db.transaction().execute(async (trx) => {
    const target = await findErasureTarget(trx, clientId, userId);
    if (!target) return false;
    await eraseTargetRows(trx, target);
    return true;
  });
  if (!erased) throw AppError.notFound();
}
