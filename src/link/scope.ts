import { parseJson } from '../db/json.ts';
import type { InvitesTable } from '../db/tables.ts';
import type { Deps } from '../deps.ts';
import { findFlow } from '../flows/flows.repo.ts';
import { flowTemplateOf } from '../flows/flows.service.ts';
import { isClosed } from '../invites/invite-status.ts';
import { parseUuid } from '../lib/ids.ts';
import { verifyUserToken } from '../users/tokens.ts';
import { findInviteById, findInviteOfUser, userExists } from './link.repo.ts';

/** Who is going through Link, and through which door: an invite URL or an embedded user token. */
export interface FlowScope {
  clientId: string;
  userId: string;
  /** The invite whose status the flow moves; null for an embedded user without one. */
  invite: InvitesTable | null;
  /** What the form tokens are bound to. */
  subject: string;
  /** `/connect/<invite id>` or `/link`. */
  base: string;
  /** Carried on every link of the embedded flow. */
  userToken: string | null;
  /** The Items offered: the invite's own `flow_items`, else its Email/SMS template's; empty for all. */
  items: string[];
}

/** The invite's own `flow_items`, else those of the flow that rendered it (deleted or not). */
async function itemsOf(deps: Pick<Deps, 'db'>, invite: InvitesTable | null): Promise<string[]> {
  if (!invite) return [];
  const own = parseJson<string[]>(invite.flow_items);
  if (own.length > 0 || !invite.rendered_flow_id) return own;
  const flow = await findFlow(deps.db, invite.client_id, invite.rendered_flow_id, { includeDeleted: true });
  return (flow && flowTemplateOf(flow).flow_items) || [];
}

export type PageProblem =
  | 'not_found'
  | 'expired'
  /** A link turned off on purpose: nothing is wrong and nothing is asked of the visitor. */
  | 'inactive'
  | 'unauthorized'
  | 'forbidden'
  | 'bad_request'
  | 'too_large'
  | 'completed'
  | 'upload_files_full'
  | 'upload_bytes_full'
  | 'too_many_uploads'
  | 'busy'
  | 'storage_full'
  | 'error';

/** A request the recipient's pages answer with a message page instead of the flow. */
export class PageError extends Error {
  constructor(
    readonly problem: PageProblem,
    readonly invite: InvitesTable | null = null,
  ) {
    super(problem);
  }
}

/** A path inside the flow, keeping the embedded flow's token. */
export function href(scope: FlowScope, path = '', params: Record<string, string> = {}): string {
  const query = new URLSearchParams(scope.userToken ? { user_token: scope.userToken, ...params } : params);
  const qs = query.toString();
  return `${scope.base}${path}${qs ? `?${qs}` : ''}`;
}

/** The scope of an invite URL; a revoked or expired invite never enters Link. */
export async function inviteScope(deps: Pick<Deps, 'db' | 'clock'>, rawId: string): Promise<FlowScope> {
  const id = parseUuid(rawId);
  const invite = id ? await findInviteById(deps.db, id) : undefined;
  if (!invite) throw new PageError('not_found');
  if (isClosed(invite, deps.clock.now())) throw new PageError('expired', invite);
  return {
    clientId: invite.client_id,
    userId: invite.user_id,
    invite,
    subject: `invite:${invite.id}`,
    base: `/connect/${invite.id}`,
    userToken: null,
    items: await itemsOf(deps, invite),
  };
}

/** The scope of embedded Link: the user of a valid, unexpired user token. */
export async function tokenScope(
  deps: Pick<Deps, 'db' | 'clock' | 'userTokenKey'>,
  token: unknown,
): Promise<FlowScope> {
  const claims = typeof token === 'string' && token.length < 4096 ? verifyUserToken(deps, token) : null;
  if (!claims || !(await userExists(deps.db, claims.clientId, claims.userId))) {
    throw new PageError('unauthorized');
  }
  const invite = (await findInviteOfUser(deps.db, claims.clientId, claims.userId)) ?? null;
  return {
    clientId: claims.clientId,
    userId: claims.userId,
    invite,
    subject: `user:${claims.clientId}:${claims.userId}`,
    base: '/link',
    userToken: token as string,
    items: await itemsOf(deps, invite),
  };
}
