import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { listInvites } from '../invites/invites.service.ts';
import { invitesVisibleTo } from '../members/roles.ts';
import { InvitesPage } from './pages/invites.tsx';
import { sendPage } from './render.ts';
import { memberOf } from './session.hook.ts';
import { shellOf } from './shell.ts';

/**
 * The Invites page, where `/console` opens once signed in: the 20 newest invites the member may
 * see. Until the invites list can apply the whole visibility rule (groups, sender), a member who
 * sees only some invites is shown those they were copied on, which the rule always allows.
 */
export async function showInvites(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  const member = memberOf(req);
  const visible = invitesVisibleTo(member);
  const query = visible.only ? { limit: 20, reply_to: visible.only.replyTo } : { limit: 20 };
  const page = await listInvites(deps, member.clientId, query);
  const shell = await shellOf(deps, req, reply);
  return sendPage(
    reply,
    <InvitesPage
      shell={shell}
      invites={page.results}
      personalData={visible.personalData}
      restricted={visible.only !== null}
    />,
  );
}
