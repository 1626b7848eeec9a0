import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { type Branding, brandingFor } from './branding.ts';
import { checkCsrf, csrfToken, linkSession } from './csrf.ts';
import { type FlowScope, inviteScope, PageError, tokenScope } from './scope.ts';

/** How a route learns its scope: from the invite id in the path, or the user token in the query. */
export type ScopeOf = (req: FastifyRequest) => Promise<FlowScope>;

export const doors: { prefix: string; scopeOf: (deps: Deps) => ScopeOf }[] = [
  {
    prefix: '/connect/:inviteId',
    scopeOf: (deps) => (req) => inviteScope(deps, (req.params as { inviteId: string }).inviteId),
  },
  {
    prefix: '/link',
    scopeOf: (deps) => (req) => tokenScope(deps, (req.query as { user_token?: unknown }).user_token),
  },
];

export function sendPage(reply: FastifyReply, html: string, status = 200) {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** After a POST: 303, so a refresh or Back re-reads the result instead of posting again. */
export function seeOther(reply: FastifyReply, url: string) {
  return reply.code(303).header('location', url).send();
}

/** A form field as text; a repeated field reads as its first value. */
export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  // No browser sends U+0000 in a form, and PostgreSQL text cannot hold it.
  return typeof first === 'string' ? first.replaceAll('\u0000', '') : '';
}

export function brand(deps: Deps, scope: FlowScope): Promise<Branding> {
  return brandingFor(deps.db, scope.invite, deps.config.PUBLIC_URL);
}

/** The form token for this browser and scope (setting the session cookie the first time). */
export function formToken(deps: Deps, scope: FlowScope, req: FastifyRequest, reply: FastifyReply) {
  return csrfToken(deps, linkSession(deps, req, reply), scope.subject);
}

/** Every POST must carry the token its page was given. */
export async function requireCsrf(deps: Deps, scope: FlowScope, req: FastifyRequest, token: unknown) {
  if (!(await checkCsrf(deps, req, scope.subject, token))) throw new PageError('forbidden', scope.invite);
}
