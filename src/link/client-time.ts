import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { findFlowById } from '../flows/flows.repo.ts';
import { enterClientTime } from '../http/client-time.hook.ts';
import { parseUuid } from '../lib/ids.ts';
import { verifyUserToken } from '../users/tokens.ts';
import { findInviteById } from './link.repo.ts';

/** Whose page this is: the invite's, the user token's or the Shareable URL's client. */
async function clientOfPage(deps: Deps, req: FastifyRequest): Promise<string | null> {
  const params = req.params as { inviteId?: string; flowId?: string };
  const query = req.query as { user_token?: unknown };
  if (params.inviteId !== undefined) {
    const id = parseUuid(params.inviteId);
    return id ? ((await findInviteById(deps.db, id))?.client_id ?? null) : null;
  }
  if (params.flowId !== undefined) {
    return (await findFlowById(deps.db, params.flowId.toUpperCase()))?.client_id ?? null;
  }
  const token = query.user_token;
  if (typeof token === 'string' && token.length < 4096) return verifyUserToken(deps, token)?.clientId ?? null;
  return null;
}

/**
 * Sandbox mode: a recipient's page runs in its client's time, so what the recipient does is
 * recorded on the same clock as the client's API sees. Pages nobody owns run on the server's.
 */
export function enterPageClientTime(deps: Deps) {
  return enterClientTime(deps, (req) => clientOfPage(deps, req));
}
