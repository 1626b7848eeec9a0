import type { Db } from '../db/client.ts';
import type { MemberTokensTable } from '../db/tables.ts';

export async function insertToken(db: Db, row: MemberTokensTable): Promise<void> {
  await db.insertInto('member_tokens').values(row).execute();
}

export function findToken(db: Db, id: string) {
  return db.selectFrom('member_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the token used unless it was used or had expired at `at`; false then. */
export async function markTokenUsed(db: Db, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('member_tokens')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Ends a member's unused links: their password was just set, or they were disabled. */
export async function retireTokens(db: Db, clientId: string, memberId: string, at: string): Promise<void> {
  await db
    .updateTable('member_tokens')
    .set({ used_at: at })
    .where('client_id', '=', clientId)
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .execute();
}
