import { sql } from 'kysely';
import { type Db, isPostgres } from '../db/client.ts';
import type { MembersTable } from '../db/tables.ts';

const lowerEmail = sql<string>`lower(email)`;

export async function insertMember(db: Db, row: MembersTable): Promise<void> {
  await db.insertInto('members').values(row).execute();
}

export function findMember(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('members')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findMemberByEmail(db: Db, clientId: string, email: string) {
  return db
    .selectFrom('members')
    .selectAll()
    .where('client_id', '=', clientId)
    .where(lowerEmail, '=', email.toLowerCase())
    .executeTakeFirst();
}

/** Members of every client with this address who may sign in, the oldest first, with their client's name. */
export function activeMembersByEmail(db: Db, email: string) {
  return db
    .selectFrom('members as m')
    .innerJoin('clients as c', 'c.id', 'm.client_id')
    .selectAll('m')
    .select('c.name as client_name')
    .where(sql<string>`lower(m.email)`, '=', email.toLowerCase())
    .where('m.disabled_at', 'is', null)
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(10)
    .execute();
}

export function listMembers(db: Db, clientId?: string) {
  let q = db
    .selectFrom('members as m')
    .innerJoin('clients as c', 'c.id', 'm.client_id')
    .select([
      'm.client_id',
      'c.name as client_name',
      'm.id',
      'm.email',
      'm.name',
      'm.role',
      'm.disabled_at',
      'm.created_at',
      sql<boolean>`m.password_hash is not null`.as('has_password'),
    ]);
  if (clientId !== undefined) q = q.where('m.client_id', '=', clientId);
  return q.orderBy('m.client_id').orderBy('m.created_at').orderBy('m.id').execute();
}

export async function countMembers(db: Db, clientId?: string): Promise<number> {
  let q = db.selectFrom('members').select((eb) => eb.fn.countAll<number>().as('n'));
  if (clientId !== undefined) q = q.where('client_id', '=', clientId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function setPasswordHash(
  db: Db,
  clientId: string,
  id: string,
  hash: string,
  at: string,
): Promise<void> {
  await db
    .updateTable('members')
    .set({ password_hash: hash, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .execute();
}

/** False when the member was already disabled. */
export async function markDisabled(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('members')
    .set({ disabled_at: at, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** False when the member was not disabled. */
export async function markEnabled(db: Db, clientId: string, id: string, at: string): Promise<boolean> {
  const res = await db
    .updateTable('members')
    .set({ disabled_at: null, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .where('disabled_at', 'is not', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function setRole(
  db: Db,
  clientId: string,
  id: string,
  role: MembersTable['role'],
  at: string,
): Promise<void> {
  await db
    .updateTable('members')
    .set({ role, updated_at: at })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .execute();
}

export async function countActiveAdmins(db: Db, clientId: string): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    // An admin who never set a password cannot sign in to manage the team.
    .where('password_hash', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Holds the client's row until the transaction ends, so two changes to its members that each
 * count its admins run one after the other. SQLite's transactions already hold the one write lock.
 */
export async function lockClientMembers(trx: Db, clientId: string): Promise<void> {
  if (isPostgres(trx)) {
    await trx.selectFrom('clients').select('id').where('id', '=', clientId).forUpdate().execute();
  }
}

/** The first `n` clients: enough to tell whether there is only one. */
export function firstClients(db: Db, n: number) {
  return db
    .selectFrom('clients')
    .select(['id', 'name'])
    .orderBy('created_at')
    .orderBy('id')
    .limit(n)
    .execute();
}

export async function groupIdsOf(db: Db, clientId: string, memberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('member_groups')
    .select('group_id')
    .where('client_id', '=', clientId)
    .where('member_id', '=', memberId)
    .orderBy('group_id')
    .execute();
  return rows.map((r) => r.group_id);
}
