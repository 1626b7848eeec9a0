import type { Db } from '../db/client.ts';
import type { DocumentsTable, FormResponsesTable } from '../db/tables.ts';

/** The invite an invite URL names: by its id alone, as the URL carries no client. */
export function findInviteById(db: Db, id: string) {
  return db.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user's newest invite (each invite creates its own user, so there is at most one). */
export function findInviteOfUser(db: Db, clientId: string, userId: string) {
  return db
    .selectFrom('invites')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function userExists(db: Db, clientId: string, userId: string) {
  return db
    .selectFrom('users')
    .select('id')
    .where('client_id', '=', clientId)
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** Stores an uploaded file; false when this submission was already stored. */
export async function insertDocument(db: Db, row: DocumentsTable): Promise<boolean> {
  const res = await db
    .insertInto('documents')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'submission_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Stores response form answers; false when this submission was already stored. */
export async function insertFormResponse(db: Db, row: FormResponsesTable): Promise<boolean> {
  const res = await db
    .insertInto('form_responses')
    .values(row)
    .onConflict((oc) => oc.columns(['client_id', 'submission_id']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) > 0;
}
