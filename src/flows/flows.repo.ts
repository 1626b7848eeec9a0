import { type Db, isPostgres } from '../db/client.ts';
import { keyset, type PageRequest } from '../db/keyset.ts';
import type { FlowsTable } from '../db/tables.ts';

/**
 * Inserts a flow unless its id is taken (ids are unique across clients); false when it is,
 * so the caller draws another. Nothing fails, so a PostgreSQL transaction stays usable.
 */
export async function insertFlow(db: Db, row: FlowsTable): Promise<boolean> {
  const res = await db
    .insertInto('flows')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** A flow of the client; a deleted one only with `includeDeleted` (invites it rendered still need it). */
export function findFlow(
  db: Db,
  clientId: string,
  id: string,
  opts: { includeDeleted: boolean },
): Promise<FlowsTable | undefined> {
  let q = db.selectFrom('flows').selectAll().where('client_id', '=', clientId).where('id', '=', id);
  if (!opts.includeDeleted) q = q.where('deleted_at', 'is', null);
  return q.executeTakeFirst();
}

/** A live flow by its id alone, as a Shareable URL names it (ids are unique across clients). */
export function findFlowById(db: Db, id: string): Promise<FlowsTable | undefined> {
  return db
    .selectFrom('flows')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** The client's one live Email/SMS template, when it has exactly one. */
export async function onlyFlow(db: Db, clientId: string): Promise<FlowsTable | undefined> {
  const rows = await db
    .selectFrom('flows')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('type', '=', 'email_sms_template')
    .where('deleted_at', 'is', null)
    .limit(2)
    .execute();
  return rows.length === 1 ? rows[0] : undefined;
}

/**
 * A live flow, locked until the transaction ends on PostgreSQL so two PATCHes cannot lose
 * each other's keys (SQLite's transactions already take the one write lock at BEGIN).
 */
export function findFlowForUpdate(trx: Db, clientId: string, id: string): Promise<FlowsTable | undefined> {
  const q = trx
    .selectFrom('flows')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  return (isPostgres(trx) ? q.forUpdate() : q).executeTakeFirst();
}

export function listFlows(db: Db, clientId: string, page: PageRequest) {
  const q = db
    .selectFrom('flows')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('deleted_at', 'is', null);
  return keyset(q, { createdAt: 'created_at', id: 'id' }, page).execute();
}

/** Changes a live flow; false when there is none to change. */
export async function updateFlow(
  db: Db,
  clientId: string,
  id: string,
  change: Partial<Pick<FlowsTable, 'name' | 'language' | 'template' | 'shareable' | 'updated_at'>>,
): Promise<boolean> {
  const res = await db
    .updateTable('flows')
    .set(change)
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function softDeleteFlow(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('flows')
    .set({ deleted_at: at, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
