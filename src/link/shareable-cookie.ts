import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { getOrCreateSetting } from '../db/settings.repo.ts';
import type { Deps } from '../deps.ts';

/**
 * The cookie that lets a browser back into the invite a Shareable URL made for it: the invite
 * id with an HMAC of it and the flow, so no one can point a browser at another invite.
 */
const COOKIE = 'ik_share';
/** A visitor may come back within a month; an invite that expired or was revoked starts afresh anyway. */
const MAX_AGE_SECONDS = 30 * 24 * 3600;
const INVITE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Read once per process; every process of one database shares it.
const keys = new WeakMap<object, Promise<string>>();
function cookieKey(deps: Pick<Deps, 'db'>): Promise<string> {
  let key = keys.get(deps.db);
  if (!key) {
    key = getOrCreateSetting(deps.db, 'shareable_cookie_secret', () => randomBytes(32).toString('base64url'));
    keys.set(deps.db, key);
  }
  return key;
}

async function signature(deps: Pick<Deps, 'db'>, flowId: string, inviteId: string): Promise<string> {
  return createHmac('sha256', await cookieKey(deps))
    .update(`${flowId}\n${inviteId}`)
    .digest('base64url');
}

function readCookie(req: FastifyRequest, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The Set-Cookie value that remembers the invite for this flow's path only. */
export async function resumeCookie(
  deps: Pick<Deps, 'db' | 'config'>,
  flowId: string,
  inviteId: string,
): Promise<string> {
  const secure = deps.config.PUBLIC_URL.startsWith('https:') ? '; Secure' : '';
  const value = `${inviteId}.${await signature(deps, flowId, inviteId)}`;
  return `${COOKIE}=${value}; Path=/s/${flowId}; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`;
}

/** The invite id this browser was given for the flow, when its cookie is one this server signed. */
export async function resumedInviteId(
  deps: Pick<Deps, 'db'>,
  req: FastifyRequest,
  flowId: string,
): Promise<string | null> {
  const [inviteId, given, ...rest] = (readCookie(req, COOKIE) ?? '').split('.');
  if (!inviteId || !given || rest.length > 0 || !INVITE_ID.test(inviteId)) return null;
  const expected = Buffer.from(await signature(deps, flowId, inviteId));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? inviteId : null;
}
