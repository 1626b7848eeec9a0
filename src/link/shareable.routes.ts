import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../deps.ts';
import type { ShareableVisitor } from '../invites/shareable-invites.service.ts';
import { newId } from '../lib/ids.ts';
import { checkCsrf, csrfToken, linkSession } from './csrf.ts';
import { field, seeOther, sendPage } from './link.http.ts';
import { landingPage } from './pages/landing.ts';
import { messagePage } from './pages/messages.ts';
import { badLinkPage, tooManyEntriesPage } from './pages/shareable.ts';
import { href, inviteScope, PageError } from './scope.ts';
import * as share from './shareable.service.ts';
import { resumeCookie } from './shareable-cookie.ts';

type Req = { Params: { flowId: string }; Querystring: Record<string, unknown>; Body: unknown };

/** Pages, not API: left out of the OpenAPI document. */
const PAGE = { schema: { hide: true } };

/** What the landing page's form tokens are bound to. */
const subjectOf = (flowId: string) => `share:${flowId}`;

const send = (reply: FastifyReply, page: { status: number; html: string }) =>
  sendPage(reply, page.html, page.status);

/**
 * Where the landing page's button posts: the URL's own values ride along, with an id of this
 * form so that sending it twice makes one invite.
 */
function enterPath(flowId: string, visitor: ShareableVisitor): string {
  const query = new URLSearchParams({ _submission: newId() });
  if (visitor.externalId !== null) query.set('external_id', visitor.externalId);
  if (visitor.email !== null) query.set('email', visitor.email);
  return `/s/${flowId}/enter?${query}`;
}

/**
 * A Shareable URL (`/s/{flow id}`): the flow's landing page, whose button makes the visitor an
 * invite and enters Link with it. The browser keeps a cookie for the flow's path, so it comes
 * back to its own invite instead of making another.
 */
export async function shareableRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<Req>('/s/:flowId', PAGE, async (req, reply) => {
    const flow = await share.shareableFlow(deps, req.params.flowId);
    // One spelling of the path, so that the cookie bound to it comes back.
    if (req.params.flowId !== flow.id) {
      const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      return reply.redirect(`/s/${flow.id}${search}`);
    }
    const brand = await share.flowBrand(deps, flow);
    if (!share.isActive(flow)) return send(reply, messagePage('inactive', brand));
    const resumed = await share.resumableInvite(deps, flow, req);
    if (resumed) return reply.redirect(href(await inviteScope(deps, resumed.id)));
    const visit = share.visitOf(req.query);
    if ('bad' in visit) return send(reply, badLinkPage(brand, visit.bad));
    const csrf = await csrfToken(deps, linkSession(deps, req, reply), subjectOf(flow.id));
    return sendPage(reply, landingPage(brand, { action: enterPath(flow.id, visit.visitor), csrf }));
  });

  app.post<Req>('/s/:flowId/enter', PAGE, async (req, reply) => {
    const flow = await share.shareableFlow(deps, req.params.flowId);
    const brand = await share.flowBrand(deps, flow);
    if (!share.isActive(flow)) return send(reply, messagePage('inactive', brand));
    if (!(await checkCsrf(deps, req, subjectOf(flow.id), field(req.body, '_csrf')))) {
      return send(reply, messagePage('forbidden', brand));
    }
    const resumed = await share.resumableInvite(deps, flow, req);
    if (resumed) return seeOther(reply, href(await inviteScope(deps, resumed.id), '/items'));
    const visit = share.visitOf(req.query);
    if ('bad' in visit) return send(reply, badLinkPage(brand, visit.bad));
    const entered = await share.enterShareable(deps, flow, visit, req.ip);
    if ('retryAfter' in entered) {
      return send(reply.header('retry-after', String(entered.retryAfter)), tooManyEntriesPage(brand));
    }
    reply.header('set-cookie', await resumeCookie(deps, flow.id, entered.invite.id));
    return seeOther(reply, href(await inviteScope(deps, entered.invite.id), '/items'));
  });

  app.all('/s/*', PAGE, async () => {
    throw new PageError('not_found');
  });
}
