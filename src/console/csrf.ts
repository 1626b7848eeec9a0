import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { getOrCreateSetting } from '../db/settings.repo.ts';
import type { Deps } from '../deps.ts';
import { BROWSER_COOKIE, cookieOptions } from './cookies.ts';

const BROWSER_ID = /^[A-Za-z0-9_-]{43}$/;
/** The hidden field every Console form carries its token in. */
export const CSRF_FIELD = '_csrf';

// Every process of one database shares the key, read once per process.
const keys = new WeakMap<object, Promise<string>>();
function csrfKey(deps: Pick<Deps, 'db'>): Promise<string> {
  let key = keys.get(deps.db);
  if (!key) {
    key = getOrCreateSetting(deps.db, 'console_csrf_secret', () => randomBytes(32).toString('base64url'));
    keys.set(deps.db, key);
  }
  return key;
}

/**
 * What a form's token is bound to: the session when signed in, else the browser's own random
 * id (set on first need). Nothing is stored: the token is an HMAC of it.
 */
function binding(deps: Pick<Deps, 'config'>, req: FastifyRequest, reply: FastifyReply | null): string | null {
  if (req.member) return `session\n${req.member.sessionId}`;
  const existing = browserBinding(req);
  if (existing) return existing;
  if (!reply) return null;
  const id = randomBytes(32).toString('base64url');
  reply.setCookie(BROWSER_COOKIE, id, cookieOptions(deps.config));
  req.cookies[BROWSER_COOKIE] = id;
  return `browser\n${id}`;
}

/** The browser's own random id, which its signed-out pages' tokens are bound to; null before it has one. */
function browserBinding(req: FastifyRequest): string | null {
  const existing = req.cookies[BROWSER_COOKIE];
  return existing && BROWSER_ID.test(existing) ? `browser\n${existing}` : null;
}

/** The token for this request's forms. */
export async function csrfToken(
  deps: Pick<Deps, 'db' | 'config'>,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<string> {
  const bound = binding(deps, req, reply) ?? '';
  return createHmac('sha256', await csrfKey(deps))
    .update(bound)
    .digest('base64url');
}

/**
 * True when `given` is the token this browser's forms were given, in its present state, or with
 * `signedOutForm` the token of its signed-out pages.
 */
export async function csrfValid(
  deps: Pick<Deps, 'db' | 'config'>,
  req: FastifyRequest,
  given: string,
  opts: { signedOutForm?: boolean } = {},
): Promise<boolean> {
  const bindings = [binding(deps, req, null), opts.signedOutForm ? browserBinding(req) : null];
  if (given === '') return false;
  const key = await csrfKey(deps);
  const actual = Buffer.from(given, 'base64url');
  return bindings.some((bound) => {
    if (bound === null) return false;
    const expected = createHmac('sha256', key).update(bound).digest();
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  });
}
