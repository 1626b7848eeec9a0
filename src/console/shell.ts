import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { SignedIn } from '../members/sessions.service.ts';
import { csrfToken } from './csrf.ts';
import { takeFlash } from './flash.ts';

/** What every page's frame needs to know about the request. */
export interface Shell {
  member: SignedIn | null;
  /** The token every form of the page carries. */
  csrf: string;
  /** A message left by the POST that redirected here. */
  flash: string | null;
  sandbox: boolean;
  /** The page's path, for the navigation's current entry. */
  path: string;
}

export async function shellOf(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<Shell> {
  return {
    member: req.member,
    csrf: await csrfToken(deps, req, reply),
    flash: takeFlash(req, reply, deps.config),
    sandbox: deps.config.SANDBOX,
    path: (req.url.split('?')[0] ?? '').replace(/\/+$/, '') || '/console',
  };
}
