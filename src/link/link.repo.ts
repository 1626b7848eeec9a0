import { type Db, isPostgres } from '../db/client.ts';
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

/**
 * The invite, locked until the transaction ends on PostgreSQL, so that what is decided from it
 * holds until the commit. SQLite runs one write transaction at a time and needs no lock.
 */
export function lockInvite(db: Db, id: string) {
  return db
    .selectFrom('invites')
    .selectAll()
    .where('id', '=', id)
    .$if(isPostgres(db), (q) => q.forUpdate())
    .executeTakeFirst();
}

/** The user's row, locked like `lockInvite`. */
export async function lockUser(db: Db, clientId: string, userId: string): Promise<void> {
  await db
    .selectFrom('users')
    .select('id')
    .where('client_id', '=', clientId)
    .where('id', '=', userId)
    .$if(isPostgres(db), (q) => q.forUpdate())
    .execute();
}

/** How many files of the user are stored, and their bytes in all. */
export async function documentTotals(
  db: Db,
  clientId: string,
  userId: string,
): Promise<{ files: number; bytes: number }> {
  const row = await db
    .selectFrom('documents')
    .select((eb) => [
      eb.fn.countAll<number>().as('files'),
      eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'),
    ])
    .where('client_id', '=', clientId)
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { files: Number(row.files), bytes: Number(row.bytes) };
}
