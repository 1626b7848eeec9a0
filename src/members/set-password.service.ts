import { findClient } from '../auth/keys.repo.ts';
import { hashSecret } from '../auth/secrets.ts';
import type { MembersTable, MemberTokensTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import {
  issueMemberToken,
  openMemberToken,
  retireMemberTokens,
  useMemberToken,
} from './member-tokens.service.ts';
import * as repo from './members.repo.ts';
import { chooseClient, envKeyClient, memberProblems, newMemberRow } from './members.service.ts';
import { passwordProblems } from './password.ts';
import { endMemberSessions } from './sessions.service.ts';

/** An open one-time link: the first admin's setup (no member yet), or a member's password link. */
export type OpenLink =
  | { purpose: 'setup'; token: MemberTokensTable; clientName: string }
  | { purpose: 'invite' | 'reset'; token: MemberTokensTable; member: MembersTable };

const linkGone = () => AppError.detail('gone', 'This link has expired or was already used.');

/**
 * What a one-time link opens, while it may still be used: a setup link until its client has a
 * member, a password link while its member is active. Null otherwise.
 */
export async function openLink(deps: Pick<Deps, 'db' | 'clock'>, token: unknown): Promise<OpenLink | null> {
  const row = await openMemberToken(deps, token);
  if (!row) return null;
  if (row.purpose === 'setup') {
    const client = await findClient(deps.db, row.client_id);
    if (!client || (await repo.countMembers(deps.db, row.client_id)) > 0) return null;
    return { purpose: 'setup', token: row, clientName: client.name };
  }
  const member = row.member_id ? await repo.findMember(deps.db, row.client_id, row.member_id) : undefined;
  if (!member || member.disabled_at !== null) return null;
  return { purpose: row.purpose, token: row, member };
}

/**
 * Sets a member's password through their link, which it uses up with the member's other links.
 * Every session the member had ends: a reset is often because someone else may know the old one.
 */
export async function setPasswordByLink(
  deps: Pick<Deps, 'db' | 'clock'>,
  link: Extract<OpenLink, { member: MembersTable }>,
  password: string,
): Promise<MembersTable> {
  const problems = passwordProblems(password, link.member.email);
  if (problems.length > 0) throw AppError.fields({ password: problems });
  const hash = await hashSecret(password);
  const at = deps.clock.real().toISOString();
  const { member } = link;
  await deps.db.transaction().execute(async (trx) => {
    if (!(await useMemberToken(trx, link.token.id, at))) throw linkGone();
    await repo.setPasswordHash(trx, member.client_id, member.id, hash, at);
    await retireMemberTokens(trx, member.client_id, member.id, at);
    await endMemberSessions(trx, member.client_id, member.id, at);
  });
  return { ...member, password_hash: hash, updated_at: at };
}

/** Makes the first admin of the setup link's client, which must still have no member. */
export async function createFirstAdmin(
  deps: Pick<Deps, 'db' | 'clock'>,
  link: Extract<OpenLink, { purpose: 'setup' }>,
  input: { email: string; name: string; password: string },
): Promise<MembersTable> {
  const fields = { ...input, role: 'admin' };
  const errors = memberProblems(fields);
  if (input.name.trim() === '') errors.name = ['This field may not be blank.'];
  if (Object.keys(errors).length > 0) throw AppError.fields(errors);
  const at = deps.clock.real().toISOString();
  const member = await newMemberRow(link.token.client_id, fields, at);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await useMemberToken(trx, link.token.id, at))) throw linkGone();
    // Two setup links (two servers started) must not make two admins.
    if ((await repo.countMembers(trx, member.client_id)) > 0) throw linkGone();
    await repo.insertMember(trx, member);
  });
  return member;
}

export type FirstAdminSetup = { kind: 'link'; token: string } | { kind: 'several_clients' } | null;

/**
 * With no member at all, a one-time link that makes the first admin: of the env API key's
 * client, else of the only client (made now when there is none). Null once anyone is a member.
 */
export async function firstAdminSetup(deps: Pick<Deps, 'db' | 'clock' | 'config'>): Promise<FirstAdminSetup> {
  if ((await repo.countMembers(deps.db)) > 0) return null;
  let clientId = await envKeyClient(deps);
  if (!clientId) {
    const choice = await chooseClient(deps, undefined, { createIfNone: true });
    if (choice.kind !== 'found') return { kind: 'several_clients' };
    clientId = choice.client.id;
  }
  const token = await issueMemberToken(deps.db, deps.clock.real(), {
    clientId,
    memberId: null,
    purpose: 'setup',
  });
  return { kind: 'link', token };
}
