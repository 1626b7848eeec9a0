import { sql } from 'kysely';
import type { Db } from '../db/client.ts';
import type { GroupsTable } from '../db/tables.ts';

export function listGroups(db: Db, clientId: string) {
  return db
    .selectFrom('groups')
    .select(['id', 'name'])
    .where('client_id', '=', clientId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Each group of the client with how many members are in it. */
export async function listGroupsWithCounts(db: Db, clientId: string) {
  const rows = await db
    .selectFrom('groups as g')
    .leftJoin('member_groups as mg', (j) =>
      j.onRef('mg.client_id', '=', 'g.client_id').onRef('mg.group_id', '=', 'g.id'),
    )
    .select(['g.id', 'g.name', (eb) => eb.fn.count<number>('mg.member_id').as('members')])
    .where('g.client_id', '=', clientId)
    .groupBy(['g.id', 'g.name'])
    .orderBy('g.name')
    .orderBy('g.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, members: Number(r.members) }));
}

export function findGroup(db: Db, clientId: string, id: string) {
  return db
    .selectFrom('groups')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function countGroupMembers(db: Db, clientId: string, id: string): Promise<number> {
  const row = await db
    .selectFrom('member_groups')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', clientId)
    .where('group_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The client's group of that name whatever its case, if any. */
export function findGroupByName(db: Db, clientId: string, name: string) {
  return db
    .selectFrom('groups')
    .select(['id', 'name'])
    .where('client_id', '=', clientId)
    .where(sql<string>`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export async function insertGroup(db: Db, row: GroupsTable): Promise<void> {
  await db.insertInto('groups').values(row).execute();
}

export async function renameGroup(db: Db, clientId: string, id: string, name: string): Promise<void> {
  await db
    .updateTable('groups')
    .set({ name })
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .execute();
}

/** Deletes a group and every membership of it. */
export async function deleteGroup(db: Db, clientId: string, id: string): Promise<void> {
  await db.deleteFrom('member_groups').where('client_id', '=', clientId).where('group_id', '=', id).execute();
  await db.deleteFrom('groups').where('client_id', '=', clientId).where('id', '=', id).execute();
}

/** Which of `ids` are groups of the client. */
export async function existingGroupIds(db: Db, clientId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('groups')
    .select('id')
    .where('client_id', '=', clientId)
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

/** Every membership of the client's members in its groups. */
export function listMemberships(db: Db, clientId: string) {
  return db
    .selectFrom('member_groups')
    .select(['member_id', 'group_id'])
    .where('client_id', '=', clientId)
    .execute();
}

/** The name of every group each member is in (of one client, or of all), by name. */
export function listMembershipNames(db: Db, clientId?: string) {
  let q = db
    .selectFrom('member_groups as mg')
    .innerJoin('groups as g', (j) =>
      j.onRef('g.client_id', '=', 'mg.client_id').onRef('g.id', '=', 'mg.group_id'),
    )
    .select(['mg.client_id', 'mg.member_id', 'g.name']);
  if (clientId !== undefined) q = q.where('mg.client_id', '=', clientId);
  return q.orderBy('g.name').execute();
}

/** Puts a member in exactly these groups. */
export async function replaceMemberGroups(
  db: Db,
  clientId: string,
  memberId: string,
  groupIds: readonly string[],
): Promise<void> {
  await db
    .deleteFrom('member_groups')
    .where('client_id', '=', clientId)
    .where('member_id', '=', memberId)
    .execute();
  if (groupIds.length === 0) return;
  await db
    .insertInto('member_groups')
    .values(groupIds.map((group_id) => ({ client_id: clientId, member_id: memberId, group_id })))
    .execute();
}
