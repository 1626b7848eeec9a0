import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { newId } from '../lib/ids.ts';
import * as repo from './groups.repo.ts';
import { lockClientMembers } from './members.repo.ts';

const MAX_GROUP_NAME = 100;

export interface GroupChoice {
  id: string;
  name: string;
}

/** The client's groups by name, for any page that shows or offers them. */
export function listGroups(deps: Pick<Deps, 'db'>, clientId: string): Promise<GroupChoice[]> {
  return repo.listGroups(deps.db, clientId);
}

/** The groups `ids` names, by name: a member's own, for the pages they send from. */
export async function groupsNamed(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  ids: readonly string[],
): Promise<GroupChoice[]> {
  if (ids.length === 0) return [];
  return (await listGroups(deps, clientId)).filter((g) => ids.includes(g.id));
}

export function listGroupsWithCounts(deps: Pick<Deps, 'db'>, clientId: string) {
  return repo.listGroupsWithCounts(deps.db, clientId);
}

/** One group of the client with how many members are in it; 404 for any other id. */
export async function getGroup(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  id: string,
): Promise<GroupChoice & { members: number }> {
  const group = await repo.findGroup(deps.db, clientId, id);
  if (!group) throw AppError.notFound();
  return { id: group.id, name: group.name, members: await repo.countGroupMembers(deps.db, clientId, id) };
}

/** The name as kept (trimmed), or the field error; unique per client whatever its case. */
async function checkedName(
  db: Deps['db'],
  clientId: string,
  name: string,
  exceptId: string | null,
): Promise<string> {
  const trimmed = name.trim();
  if (trimmed === '') throw AppError.field('name', 'This field may not be blank.');
  if ([...trimmed].length > MAX_GROUP_NAME) {
    throw AppError.field('name', `Ensure this field has no more than ${MAX_GROUP_NAME} characters.`);
  }
  const same = await repo.findGroupByName(db, clientId, trimmed);
  if (same && same.id !== exceptId) throw AppError.field('name', 'A group with this name already exists.');
  return trimmed;
}

export async function createGroup(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  name: string,
): Promise<GroupChoice> {
  return deps.db.transaction().execute(async (trx) => {
    // Two admins naming a group alike at once: the second sees the first's.
    await lockClientMembers(trx, clientId);
    const group = { id: newId(), name: await checkedName(trx, clientId, name, null) };
    await repo.insertGroup(trx, {
      client_id: clientId,
      ...group,
      created_at: deps.clock.real().toISOString(),
    });
    return group;
  });
}

export async function renameGroup(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  id: string,
  name: string,
): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await lockClientMembers(trx, clientId);
    if (!(await repo.findGroup(trx, clientId, id))) throw AppError.notFound();
    await repo.renameGroup(trx, clientId, id, await checkedName(trx, clientId, name, id));
  });
}

/**
 * Deletes a group: its members leave it. Invites sent in it keep its id as their `group_id`,
 * as the API shows them; they are no longer anyone's group's invites.
 */
export async function deleteGroup(deps: Pick<Deps, 'db'>, clientId: string, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.findGroup(trx, clientId, id))) throw AppError.notFound();
    await repo.deleteGroup(trx, clientId, id);
  });
}

/** The group ids of each member of the client. */
export async function groupsOfMembers(
  deps: Pick<Deps, 'db'>,
  clientId: string,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const { member_id, group_id } of await repo.listMemberships(deps.db, clientId)) {
    out.set(member_id, [...(out.get(member_id) ?? []), group_id]);
  }
  return out;
}
