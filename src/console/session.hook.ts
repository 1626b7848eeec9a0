import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { can, type Permission } from '../members/roles.ts';
import { resumeSession, type SignedIn } from '../members/sessions.service.ts';
import { ASSETS_PATH } from './assets.ts';
import { clearCookie, SESSION_COOKIE } from './cookies.ts';
import { setFlash } from './flash.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member, or null (the Console's pages only). */
    member: SignedIn | null;
  }
}

/**
 * Runs before every Console route: the member the session cookie signs in (sliding the idle
 * timeout), or null when the cookie names no live session, e.g. of a member since disabled.
 */
export function loadMember(deps: Deps) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The stylesheet and script are the same for everyone; a session lookup would only slow them.
    if (req.url.startsWith(ASSETS_PATH)) return;
    const token = req.cookies[SESSION_COOKIE];
    req.member = await resumeSession(deps, token);
    if (token !== undefined && !req.member) clearCookie(reply, deps.config, SESSION_COOKIE);
  };
}

/**
 * A route's guard: signed out, a page sends the browser to sign in (and back afterwards) and a
 * form says the session ended; signed in without `permission`, a 403 page.
 */
export function requireMember(deps: Deps, permission?: Permission) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.member) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        return reply.redirect(`/console?next=${encodeURIComponent(req.url)}`, 303);
      }
      setFlash(reply, deps.config, 'session_ended');
      return reply.redirect('/console', 303);
    }
    if (permission && !can(req.member, permission)) {
      throw AppError.detail('forbidden', 'Your role does not give access to this page.');
    }
  };
}

/** The member of a route behind `requireMember`. */
export function memberOf(req: FastifyRequest): SignedIn {
  if (!req.member) throw AppError.detail('forbidden', 'Sign in first.');
  return req.member;
}

/** Where to go after signing in: a Console path the sign-in page was sent from, else the Invites page. */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !/^\/console(\/|\?|$)/.test(value)) return '/console';
  return /\/\/|\\|[^\x21-\x7e]/.test(value) ? '/console' : value;
}
