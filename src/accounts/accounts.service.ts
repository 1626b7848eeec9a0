import type { Db } from '../db/client.ts';
import type { AccountsTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { listPage, readPage } from '../http/pagination.ts';
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
  const request = readPage<AccountFilters>(query, {
    filtersSchema: FiltersSchema,
    firstFilters: () => (query.user === undefined ? {} : { user: query.user.toLowerCase() }),
  });
  const rows = await repo.listAccounts(deps.db, clientId, request.filters, request.page);
  return listPage(rows, request, `${deps.config.PUBLIC_URL}/v2/accounts`, toAccountObject);
}

/** A webhook's data about a connected account: its ids, the event's facts and the account as of now. */
export function accountPayload(trx: Db, clientId: string, accountId: string) {
  return async (facts: Record<string, unknown>): Promise<Record<string, unknown> | null> => {
    const account = await repo.findAccount(trx, clientId, accountId);
    if (!account) return null;
    return {
      ...facts,
      account: account.id,
      user: account.user_id,
      invite: account.invite_id,
      resource: toAccountObject(account),
    };
  };
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
