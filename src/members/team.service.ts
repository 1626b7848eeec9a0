import type { MembersTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { replaceMemberGroups } from './groups.repo.ts';
import { groupsOfMembers } from './groups.service.ts';
import { issueMemberToken, retireMemberTokens } from './member-tokens.service.ts';
import * as repo from './members.repo.ts';
import { createMember, groupProblems, listMembers } from './members.service.ts';
import { isRole, type Role } from './roles.ts';
import { endMemberSessions } from './sessions.service.ts';

/** active: may sign in; invited: has not set a password yet; disabled: may not sign in. */
export type MemberStatus = 'active' | 'invited' | 'disabled';

export interface TeamMember {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: MemberStatus;
  groupIds: string[];
}

/** Who acts on the team: an admin of the client. */
interface Admin {
  clientId: string;
  id: string;
}

const statusOf = (m: { disabled_at: string | null; has_password: boolean }): MemberStatus =>
  m.disabled_at !== null ? 'disabled' : m.has_password ? 'active' : 'invited';

const teamMember = (
  m: Pick<MembersTable, 'id' | 'email' | 'name' | 'role' | 'disabled_at'> & { has_password: boolean },
  groupIds: string[],
): TeamMember => ({
  id: m.id,
  email: m.email,
  name: m.name,
  role: m.role,
  status: statusOf(m),
  groupIds,
});

/** The client's members, oldest first, with their groups. */
export async function listTeam(deps: Pick<Deps, 'db'>, clientId: string): Promise<TeamMember[]> {
  const [members, groups] = await Promise.all([listMembers(deps, clientId), groupsOfMembers(deps, clientId)]);
  return members.map((m) => teamMember(m, groups.get(m.id) ?? []));
}

async function findMemberOrThrow(db: Deps['db'], clientId: string, id: string): Promise<MembersTable> {
  const member = await repo.findMember(db, clientId, id);
  if (!member) throw AppError.notFound();
  return member;
}

/** One member of the client; 404 for any other id, another client's included. */
export async function getTeamMember(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  id: string,
): Promise<TeamMember> {
  const member = await findMemberOrThrow(deps.db, clientId, id);
  const groupIds = await repo.groupIdsOf(deps.db, clientId, id);
  return teamMember({ ...member, has_password: member.password_hash !== null }, groupIds);
}

/** A new member with no password, in these groups, and the token of the link that lets them set one. */
export async function inviteMember(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  input: { email: string; name: string; role: string; groupIds: readonly string[] },
): Promise<{ member: MembersTable; token: string }> {
  const { email, name, role, groupIds } = input;
  const { member, setPasswordToken } = await createMember(
    deps,
    clientId,
    { email, name, role },
    { groupIds },
  );
  if (setPasswordToken === null) throw new Error('an invited member has no password, so a link');
  return { member, token: setPasswordToken };
}

const lastAdmin = (what: string) =>
  `This is the last active admin of the team: make another member an admin before ${what}.`;

/** Whether taking `member` out of the active admins would leave the client with none. */
async function isLastActiveAdmin(db: Deps['db'], member: MembersTable): Promise<boolean> {
  if (member.role !== 'admin' || member.disabled_at !== null) return false;
  return (await repo.countActiveAdmins(db, member.client_id)) <= 1;
}

/**
 * A member's new role and groups, effective from their next request. The client always keeps
 * an active admin.
 */
export async function changeMemberAccess(
  deps: Pick<Deps, 'db' | 'clock'>,
  admin: Admin,
  memberId: string,
  input: { role: string; groupIds: readonly string[] },
): Promise<void> {
  const { clientId } = admin;
  const groupIds = [...new Set(input.groupIds)];
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockClientMembers(trx, clientId);
    const member = await findMemberOrThrow(trx, clientId, memberId);
    const errors: Record<string, string[]> = {};
    if (!isRole(input.role)) errors.role = [`"${input.role}" is not a valid choice.`];
    else if (input.role !== 'admin' && (await isLastActiveAdmin(trx, member))) {
      errors.role = [lastAdmin('changing this role')];
    }
    const groupErrors = await groupProblems({ db: trx }, clientId, groupIds);
    if (groupErrors) errors.groups = groupErrors;
    if (Object.keys(errors).length > 0) throw AppError.fields(errors);
    const at = deps.clock.real().toISOString();
    if (member.role !== input.role) await repo.setRole(trx, clientId, memberId, input.role as Role, at);
    await replaceMemberGroups(trx, clientId, memberId, groupIds);
  });
}

/** Disables a member: they are signed out at once and their unused links stop working. */
export async function disableTeamMember(
  deps: Pick<Deps, 'db' | 'clock'>,
  admin: Admin,
  memberId: string,
): Promise<void> {
  const { clientId } = admin;
  if (memberId === admin.id) throw AppError.badRequest('You cannot disable yourself.');
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockClientMembers(trx, clientId);
    const member = await findMemberOrThrow(trx, clientId, memberId);
    if (await isLastActiveAdmin(trx, member)) throw AppError.badRequest(lastAdmin('disabling this one'));
    const at = deps.clock.real().toISOString();
    await repo.markDisabled(trx, clientId, memberId, at);
    await endMemberSessions(trx, clientId, memberId, at);
    await retireMemberTokens(trx, clientId, memberId, at);
  });
}

/** Lets a disabled member sign in again, with the password they had (an invited one needs a new link). */
export async function enableTeamMember(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  memberId: string,
): Promise<void> {
  await findMemberOrThrow(deps.db, clientId, memberId);
  await repo.markEnabled(deps.db, clientId, memberId, deps.clock.real().toISOString());
}

/**
 * A new set-password link for a member who has not set one yet; the links sent before stop
 * working, so only the newest email counts.
 */
export async function reissueInvite(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  memberId: string,
): Promise<{ member: MembersTable; token: string }> {
  const member = await findMemberOrThrow(deps.db, clientId, memberId);
  if (member.disabled_at !== null) throw AppError.badRequest('Enable this member before sending a link.');
  if (member.password_hash !== null) {
    throw AppError.badRequest(
      'This member has set a password already. If they forgot it, they can reset it from the sign-in page.',
    );
  }
  const now = deps.clock.real();
  const token = await deps.db.transaction().execute(async (trx) => {
    await retireMemberTokens(trx, clientId, memberId, now.toISOString());
    return issueMemberToken(trx, now, { clientId, memberId, purpose: 'invite' });
  });
  return { member, token };
}
