import type { Db } from '../db/client.ts';
import type { ConsoleSessionsTable } from '../db/tables.ts';

export async function insertSession(db: Db, row: ConsoleSessionsTable): Promise<void> {
  await db.insertInto('console_sessions').values(row).execute();
}

/** A session with its member and the member's client, whatever their state. */
export function findSessionMember(db: Db, id: string) {
  return db
    .selectFrom('console_sessions as s')
    .innerJoin('members as m', (j) =>
      j.onRef('m.client_id', '=', 's.client_id').onRef('m.id', '=', 's.member_id'),
    )
    .innerJoin('clients as c', 'c.id', 's.client_id')
    .select([
      's.id as session_id',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'm.client_id',
      'c.name as client_name',
      'm.id',
      'm.email',
      'm.name',
      'm.role',
      'm.disabled_at',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('console_sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('console_sessions').where('id', '=', id).execute();
}

/** Ends every live session of a member; how many there were. */
export async function revokeMemberSessions(
  db: Db,
  clientId: string,
  memberId: string,
  at: string,
): Promise<number> {
  const res = await db
    .updateTable('console_sessions')
    .set({ revoked_at: at })
    .where('client_id', '=', clientId)
    .where('member_id', '=', memberId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/** Forgets a member's sessions that ended before `before`, so the table keeps only what may matter. */
export async function deleteEndedSessions(
  db: Db,
  clientId: string,
  memberId: string,
  before: string,
): Promise<void> {
  await db
    .deleteFrom('console_sessions')
    .where('client_id', '=', clientId)
    .where('member_id', '=', memberId)
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .execute();
}
