import { newSecret, sha256 } from '../auth/secrets.ts';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { groupIdsOf } from './members.repo.ts';
import type { Actor } from './roles.ts';
import * as repo from './sessions.repo.ts';

// A session ends after a working day without a request, and a week after sign-in whatever the
// activity, so a browser left signed in somewhere does not stay so for long.
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
// Sliding the idle timeout costs a write; once a minute is as good as every request against 8 hours.
const TOUCH_EVERY_MS = 60_000;

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The signed-in member a Console request acts as. */
export interface SignedIn extends Actor {
  clientId: string;
  clientName: string;
  name: string;
  /** The session's id (a hash of the cookie's token), which its form tokens are bound to. */
  sessionId: string;
}

/** What the database keeps of a token: only its hash, so a copy of the table signs nobody in. */
export const tokenHash = (token: string): string => sha256(token).toString('hex');

/**
 * A new session for the member. Its token goes only into the browser's cookie. Sessions are on
 * the server's clock: a sandbox client's moved clock must not sign its members out.
 */
export async function startSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  member: { client_id: string; id: string },
): Promise<{ token: string; expiresAt: Date }> {
  const now = deps.clock.real();
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_MAX_MS);
  await repo.deleteEndedSessions(deps.db, member.client_id, member.id, now.toISOString());
  await repo.insertSession(deps.db, {
    id: tokenHash(token),
    client_id: member.client_id,
    member_id: member.id,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: expiresAt.toISOString(),
    revoked_at: null,
  });
  return { token, expiresAt };
}

/**
 * The member a cookie's token signs in, sliding the session's idle timeout; null when the token
 * names no live session (unknown, signed out, idle too long, past its end) or a disabled member.
 */
export async function resumeSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string | undefined,
): Promise<SignedIn | null> {
  if (!token || !TOKEN.test(token)) return null;
  const row = await repo.findSessionMember(deps.db, tokenHash(token));
  if (!row || row.revoked_at !== null || row.disabled_at !== null) return null;
  const now = deps.clock.real().getTime();
  const lastSeen = new Date(row.last_seen_at).getTime();
  if (new Date(row.expires_at).getTime() <= now || lastSeen + SESSION_IDLE_MS <= now) return null;
  if (now - lastSeen >= TOUCH_EVERY_MS) {
    await repo.touchSession(deps.db, row.session_id, new Date(now).toISOString());
  }
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name,
    email: row.email,
    name: row.name,
    role: row.role,
    groupIds: await groupIdsOf(deps.db, row.client_id, row.id),
    sessionId: row.session_id,
  };
}

/** Signs a session out: its row goes, so nothing of it is left to resume. */
export async function endSession(deps: Pick<Deps, 'db'>, sessionId: string): Promise<void> {
  await repo.deleteSession(deps.db, sessionId);
}

/**
 * Signs out the session a cookie's token names, live or not: a browser signing in again keeps
 * no earlier session behind it, whoever's it was.
 */
export async function endSessionOfToken(deps: Pick<Deps, 'db'>, token: string | undefined): Promise<void> {
  if (token && TOKEN.test(token)) await endSession(deps, tokenHash(token));
}

/** Ends every session of a member (disabled, or a new password); how many were live. */
export function endMemberSessions(db: Db, clientId: string, memberId: string, at: string): Promise<number> {
  return repo.revokeMemberSessions(db, clientId, memberId, at);
}
