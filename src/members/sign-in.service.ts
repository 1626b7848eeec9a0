import { NO_KEY_HASH, verifySecret } from '../auth/secrets.ts';
import type { MembersTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { issueMemberToken } from './member-tokens.service.ts';
import { activeMembersByEmail } from './members.repo.ts';
import { countAttempt, THROTTLES, waitFor } from './throttle.ts';

export type SignInOutcome =
  | { kind: 'verified'; member: MembersTable }
  | { kind: 'refused' }
  | { kind: 'throttled'; retryAfterSeconds: number };

/**
 * The member an email and password sign in. A wrong email and a wrong password are one
 * refusal, costing the same slow hash. Ten refusals for one address in a quarter hour throttle
 * it, the right password included.
 */
export async function verifySignIn(
  deps: Pick<Deps, 'db' | 'clock'>,
  email: string,
  password: string,
): Promise<SignInOutcome> {
  const wait = await waitFor(deps, THROTTLES.signIn, email);
  if (wait !== null) return { kind: 'throttled', retryAfterSeconds: wait };
  const member = await verifyPassword(deps, email, password);
  if (!member) {
    await countAttempt(deps, THROTTLES.signIn, email);
    return { kind: 'refused' };
  }
  return { kind: 'verified', member };
}

/**
 * The member whose password this is. One address may be a member of several clients: the
 * oldest membership the password opens wins.
 */
async function verifyPassword(
  deps: Pick<Deps, 'db'>,
  email: string,
  password: string,
): Promise<MembersTable | null> {
  const candidates =
    email.length > 320 || password.length > 256 ? [] : await activeMembersByEmail(deps.db, email.trim());
  const withPassword = candidates.filter((m) => m.password_hash !== null);
  if (withPassword.length === 0) {
    await verifySecret(password.slice(0, 256), NO_KEY_HASH);
    return null;
  }
  for (const member of withPassword) {
    if (member.password_hash !== null && (await verifySecret(password, member.password_hash))) return member;
  }
  return null;
}

/**
 * One-time reset links for every active membership of an address, to email; none when the
 * address has none, or was sent five in the last quarter hour.
 */
export async function requestPasswordReset(
  deps: Pick<Deps, 'db' | 'clock'>,
  email: string,
): Promise<{ member: MembersTable & { client_name: string }; token: string }[]> {
  if (email.length > 320 || (await waitFor(deps, THROTTLES.resetEmail, email)) !== null) return [];
  const members = await activeMembersByEmail(deps.db, email.trim());
  if (members.length === 0) return [];
  await countAttempt(deps, THROTTLES.resetEmail, email);
  const now = deps.clock.real();
  const links = [];
  for (const member of members) {
    const token = await issueMemberToken(deps.db, now, {
      clientId: member.client_id,
      memberId: member.id,
      purpose: 'reset',
    });
    links.push({ member, token });
  }
  return links;
}
