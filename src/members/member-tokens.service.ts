import { newSecret } from '../auth/secrets.ts';
import type { Db } from '../db/client.ts';
import type { MemberTokenPurpose, MemberTokensTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import * as repo from './member-tokens.repo.ts';
import { tokenHash } from './sessions.service.ts';

// A day: long enough to find the email, short enough that an old inbox opens nothing.
export const MEMBER_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new one-time link's token; only its hash is stored. */
export async function issueMemberToken(
  db: Db,
  at: Date,
  link: { clientId: string; memberId: string | null; purpose: MemberTokenPurpose },
): Promise<string> {
  const token = newSecret();
  await repo.insertToken(db, {
    id: tokenHash(token),
    client_id: link.clientId,
    member_id: link.memberId,
    purpose: link.purpose,
    created_at: at.toISOString(),
    expires_at: new Date(at.getTime() + MEMBER_TOKEN_TTL_MS).toISOString(),
    used_at: null,
  });
  return token;
}

/** The link a token opens while it is unused and unexpired; null otherwise. */
export async function openMemberToken(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: unknown,
): Promise<MemberTokensTable | null> {
  if (typeof token !== 'string' || !TOKEN.test(token)) return null;
  const row = await repo.findToken(deps.db, tokenHash(token));
  if (!row || row.used_at !== null) return null;
  return new Date(row.expires_at).getTime() > deps.clock.real().getTime() ? row : null;
}

/** Uses the link once: false when it was used (or expired) meanwhile. */
export const useMemberToken = (db: Db, id: string, at: string) => repo.markTokenUsed(db, id, at);

export const retireMemberTokens = repo.retireTokens;
