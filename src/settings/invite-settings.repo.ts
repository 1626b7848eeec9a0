import { type Db, isPostgres } from '../db/client.ts';
import type { InviteSettingsTable } from '../db/tables.ts';

export function findInviteSettings(db: Db, clientId: string): Promise<InviteSettingsTable | undefined> {
  return db.selectFrom('invite_settings').selectAll().where('client_id', '=', clientId).executeTakeFirst();
}

/**
 * The client's settings, read under a lock on the client's row on PostgreSQL (the settings
 * row may not exist yet), so two PATCHes cannot lose each other's keys. SQLite's
 * transactions already hold the one write lock.
 */
export async function findInviteSettingsForUpdate(
  trx: Db,
  clientId: string,
): Promise<InviteSettingsTable | undefined> {
  if (isPostgres(trx)) {
    await trx.selectFrom('clients').select('id').where('id', '=', clientId).forUpdate().execute();
  }
  return findInviteSettings(trx, clientId);
}

export async function saveInviteSettings(db: Db, row: InviteSettingsTable): Promise<void> {
  await db
    .insertInto('invite_settings')
    .values(row)
    .onConflict((oc) => oc.column('client_id').doUpdateSet({ data: row.data, updated_at: row.updated_at }))
    .execute();
}
