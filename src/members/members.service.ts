import { findClient, findKey, insertClient } from '../auth/keys.repo.ts';
import { hashSecret } from '../auth/secrets.ts';
import type { MembersTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors } from '../errors.ts';
import { isEmailAddress } from '../http/email-address.ts';
import { newId } from '../lib/ids.ts';
import { existingGroupIds, listMembershipNames, replaceMemberGroups } from './groups.repo.ts';
import { issueMemberToken, retireMemberTokens } from './member-tokens.service.ts';
import * as repo from './members.repo.ts';
import { passwordProblems } from './password.ts';
import { isRole, type Role } from './roles.ts';
import { endMemberSessions } from './sessions.service.ts';

const MAX_NAME_LENGTH = 200;

export interface MemberInput {
  email: string;
  name: string;
  role: string;
  /** Absent: the member sets one through a one-time link. */
  password?: string;
}

/** What is wrong with a new member's fields, in the API's field-error shape; empty when nothing. */
export function memberProblems(input: MemberInput): FieldErrors {
  const errors: FieldErrors = {};
  const email = input.email.trim();
  if (email === '') errors.email = ['This field may not be blank.'];
  else if (!isEmailAddress(email)) errors.email = ['Enter a valid email address.'];
  if (input.name.trim().length > MAX_NAME_LENGTH) {
    errors.name = [`Ensure this field has no more than ${MAX_NAME_LENGTH} characters.`];
  }
  if (input.role === '') errors.role = ['This field is required.'];
  else if (!isRole(input.role)) {
    errors.role = [`"${input.role}" is not a valid choice.`];
  }
  if (input.password !== undefined) {
    const problems = passwordProblems(input.password, email);
    if (problems.length > 0) errors.password = problems;
  }
  return errors;
}

/** The member row of valid input; the email as typed, trimmed. */
export async function newMemberRow(clientId: string, input: MemberInput, at: string): Promise<MembersTable> {
  return {
    client_id: clientId,
    id: newId(),
    email: input.email.trim(),
    name: input.name.trim(),
    role: input.role as Role,
    password_hash: input.password === undefined ? null : await hashSecret(input.password),
    disabled_at: null,
    created_at: at,
    updated_at: at,
  };
}

/** What is wrong with a member's chosen groups: each must be one of the client's; null when none is wrong. */
export async function groupProblems(
  deps: Pick<Deps, 'db'>,
  clientId: string,
  groupIds: readonly string[],
): Promise<string[] | null> {
  const known = new Set(await existingGroupIds(deps.db, clientId, groupIds));
  const unknown = groupIds.filter((id) => !known.has(id));
  return unknown.length === 0 ? null : unknown.map((id) => `"${id}" is not a valid choice.`);
}

const EMAIL_TAKEN = 'A member with this email already exists.';

/**
 * Adds a member to a client. Without a password, the member gets a one-time link to set one
 * (its token is returned, to print or to email).
 */
export async function createMember(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  input: MemberInput,
  { groupIds = [] }: { groupIds?: readonly string[] } = {},
): Promise<{ member: MembersTable; setPasswordToken: string | null }> {
  const errors = memberProblems(input);
  const groupErrors = await groupProblems(deps, clientId, groupIds);
  if (groupErrors) errors.groups = groupErrors;
  if (!errors.email && (await repo.findMemberByEmail(deps.db, clientId, input.email.trim()))) {
    errors.email = [EMAIL_TAKEN];
  }
  if (Object.keys(errors).length > 0) throw AppError.fields(errors);
  const now = deps.clock.real();
  const member = await newMemberRow(clientId, input, now.toISOString());
  return deps.db.transaction().execute(async (trx) => {
    // Two invitations of one address at once: the second finds the first's member.
    await repo.lockClientMembers(trx, clientId);
    if (await repo.findMemberByEmail(trx, clientId, input.email.trim())) {
      throw AppError.fields({ email: [EMAIL_TAKEN] });
    }
    await repo.insertMember(trx, member);
    await replaceMemberGroups(trx, clientId, member.id, [...new Set(groupIds)]);
    const setPasswordToken =
      member.password_hash === null
        ? await issueMemberToken(trx, now, { clientId, memberId: member.id, purpose: 'invite' })
        : null;
    return { member, setPasswordToken };
  });
}

export async function listMembers(deps: Pick<Deps, 'db'>, clientId?: string) {
  const rows = await repo.listMembers(deps.db, clientId);
  return rows.map((r) => ({ ...r, has_password: Boolean(r.has_password) }));
}

/** The members (of one client, or of all), each with the names of their groups. */
export async function listMembersWithGroups(deps: Pick<Deps, 'db'>, clientId?: string) {
  const [rows, memberships] = await Promise.all([
    listMembers(deps, clientId),
    listMembershipNames(deps.db, clientId),
  ]);
  const groups = new Map<string, string[]>();
  for (const m of memberships) {
    const key = `${m.client_id}/${m.member_id}`;
    groups.set(key, [...(groups.get(key) ?? []), m.name]);
  }
  return rows.map((r) => ({ ...r, groups: groups.get(`${r.client_id}/${r.id}`) ?? [] }));
}

/**
 * Disables a member: they can no longer sign in, their sessions end at once and their unused
 * links stop working. Null when the client has no member with that email.
 */
export async function disableMember(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string,
  email: string,
): Promise<{ member: MembersTable; alreadyDisabled: boolean; sessionsEnded: number } | null> {
  const member = await repo.findMemberByEmail(deps.db, clientId, email.trim());
  if (!member) return null;
  const at = deps.clock.real().toISOString();
  return deps.db.transaction().execute(async (trx) => {
    const disabled = await repo.markDisabled(trx, clientId, member.id, at);
    const sessionsEnded = await endMemberSessions(trx, clientId, member.id, at);
    await retireMemberTokens(trx, clientId, member.id, at);
    return { member, alreadyDisabled: !disabled, sessionsEnded };
  });
}

export type ClientChoice =
  | { kind: 'found'; client: { id: string; name: string }; created: boolean }
  | { kind: 'unknown'; clientId: string }
  | { kind: 'none' }
  | { kind: 'several' };

/**
 * The client a member command works in: the one named, else the only one. With none yet, one
 * is made when `createIfNone` (as `keys create` does); with several, nothing is guessed.
 */
export async function chooseClient(
  deps: Pick<Deps, 'db' | 'clock'>,
  clientId: string | undefined,
  { createIfNone }: { createIfNone: boolean },
): Promise<ClientChoice> {
  if (clientId !== undefined) {
    const client = await findClient(deps.db, clientId);
    return client ? { kind: 'found', client, created: false } : { kind: 'unknown', clientId };
  }
  const clients = await repo.firstClients(deps.db, 2);
  const [only] = clients;
  if (clients.length > 1) return { kind: 'several' };
  if (only) return { kind: 'found', client: only, created: false };
  if (!createIfNone) return { kind: 'none' };
  const client = { id: newId(), name: 'default' };
  await insertClient(deps.db, { ...client, created_at: deps.clock.real().toISOString() });
  return { kind: 'found', client, created: true };
}

/** The client of the env API key (INVITEKIT_API_KEY_ID), when one is configured and exists. */
export async function envKeyClient(deps: Pick<Deps, 'db' | 'config'>): Promise<string | undefined> {
  const keyId = deps.config.INVITEKIT_API_KEY_ID;
  return keyId ? (await findKey(deps.db, keyId))?.client_id : undefined;
}
