import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getOrCreateSetting } from '../db/settings.repo.ts';
import type { Deps } from '../deps.ts';

export const SESSION_COOKIE = 'ik_link';
const SESSION_ID = /^[A-Za-z0-9_-]{32,64}$/;

// Read once per process, like the user token secret; every process of one database shares it.
const keys = new WeakMap<object, Promise<string>>();
function csrfKey(deps: Pick<Deps, 'db'>): Promise<string> {
  let key = keys.get(deps.db);
  if (!key) {
    key = getOrCreateSetting(deps.db, 'link_csrf_secret', () => randomBytes(32).toString('base64url'));
    keys.set(deps.db, key);
  }
  return key;
}

function readCookie(req: FastifyRequest, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The browser's Link session id, from its cookie, or a new one set on the reply. */
export function linkSession(deps: Pick<Deps, 'config'>, req: FastifyRequest, reply: FastifyReply): string {
  const existing = readCookie(req, SESSION_COOKIE);
  if (existing && SESSION_ID.test(existing)) return existing;
  const id = randomBytes(32).toString('base64url');
  const secure = deps.config.PUBLIC_URL.startsWith('https:') ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${secure}`);
  return id;
}

/** The form token of one session for one invite (or embedded user): an HMAC, so nothing is stored. */
export async function csrfToken(deps: Pick<Deps, 'db'>, session: string, subject: string): Promise<string> {
  return createHmac('sha256', await csrfKey(deps))
    .update(`${session}\n${subject}`)
    .digest('base64url');
}

/** True when the request carries its session cookie and the token that session was given for `subject`. */
export async function checkCsrf(
  deps: Pick<Deps, 'db'>,
  req: FastifyRequest,
  subject: string,
  given: unknown,
): Promise<boolean> {
  const session = readCookie(req, SESSION_COOKIE);
  if (!session || !SESSION_ID.test(session) || typeof given !== 'string') return false;
  const expected = Buffer.from(await csrfToken(deps, session, subject));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
