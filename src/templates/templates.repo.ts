import type { Db } from '../db/client.ts';
import type { InviteTemplatesTable } from '../db/tables.ts';

export async function insertTemplate(db: Db, row: InviteTemplatesTable): Promise<void> {
  await db.insertInto('invite_templates').values(row).execute();
}

/** A template, deleted or not: invites that name a deleted template still render with it. */
export function findTemplate(db: Db, clientId: string, id: string, opts: { includeDeleted: boolean }) {
  let q = db
    .selectFrom('invite_templates')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id);
  if (!opts.includeDeleted) q = q.where('deleted_at', 'is', null);
  return q.executeTakeFirst();
}

export function listTemplates(db: Db, clientId: string, limit: number) {
  return db
    .selectFrom('invite_templates')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function softDeleteTemplate(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('invite_templates')
    .set({ deleted_at: at, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
