import type { AccountsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { buildPage, decodeCursor, type PageRequest } from '../http/pagination.ts';
import { iso } from '../lib/time.ts';
import * as repo from './accounts.repo.ts';
import {
  type AccountFilters,
  type AccountObject,
  AccountFilters as FiltersSchema,
  type ListAccountsQuery,
} from './accounts.schema.ts';
import { itemById } from './items.ts';

export function toAccountObject(row: AccountsTable): AccountObject {
  return {
    id: row.id,
    user: row.user_id,
    item: row.item_id,
    item_name: itemById(row.item_id)?.name ?? row.item_id,
    status: row.status,
    error_code: row.error_code,
    invite: row.invite_id,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export async function getAccount(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  id: string,
): Promise<AccountObject> {
  const row = await repo.findAccount(deps.db, clientId, id);
  if (!row) throw AppError.notFound();
  return toAccountObject(row);
}

export async function listAccounts(
  deps: Pick<Deps, 'db' | 'config'>,
  clientId: string,
  query: ListAccountsQuery,
) {
  let filters: AccountFilters;
  let page: PageRequest;
  if (query.cursor !== undefined) {
    ({ filters, page } = decodeCursor<AccountFilters>(query.cursor, FiltersSchema));
  } else {
    filters = query.user === undefined ? {} : { user: query.user.toLowerCase() };
    page = { direction: 'next', key: null, limit: query.limit ?? 10 };
  }
  const rows = await repo.listAccounts(deps.db, clientId, filters, page);
  const result = buildPage(rows, page, filters, `${deps.config.PUBLIC_URL}/v2/accounts`);
  return { next: result.next, previous: result.previous, results: result.rows.map(toAccountObject) };
}

/** Per user: the Items of their connected accounts and those Items' names (the employers). */
export async function connectionsOf(deps: Pick<Deps, 'db'>, clientId: string, userIds: string[]) {
  const out = new Map<string, { items: string[]; employers: string[] }>();
  for (const row of await repo.connectedItemsOf(deps.db, clientId, userIds)) {
    const entry = out.get(row.user_id) ?? { items: [], employers: [] };
    entry.items.push(row.item_id);
    entry.employers.push(itemById(row.item_id)?.name ?? row.item_id);
    out.set(row.user_id, entry);
  }
  return out;
}
