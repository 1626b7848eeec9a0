import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance } from 'fastify';
import { searchItems } from '../accounts/items.ts';
import type { Deps } from '../deps.ts';
import { statusOf } from '../errors.ts';
import { BUSY_RETRY_AFTER, databaseFault } from '../http/error-handler.ts';
import { PAGE_HEADERS } from '../http/security.ts';
import { parseUuid } from '../lib/ids.ts';
import { copyFor } from '../templates/copy/index.ts';
import { alternativeRoutes } from './alternatives.routes.ts';
import { type Branding, brandingFor } from './branding.ts';
import {
  brand,
  doors,
  field,
  formToken,
  requireCsrf,
  type ScopeOf,
  seeOther,
  sendPage,
} from './link.http.ts';
import { findInviteById } from './link.repo.ts';
import {
  accountOf,
  enterLink,
  offeredItem,
  offeredItems,
  openLanding,
  submitCode,
  submitCredentials,
} from './link.service.ts';
import { MAX_UPLOAD_MB } from './pages/alternatives.ts';
import { itemsPage, otherOptions } from './pages/items.ts';
import { landingPage } from './pages/landing.ts';
import { loginPage, verifyPage } from './pages/login.ts';
import { messagePage } from './pages/messages.ts';
import { successPage } from './pages/success.ts';
import { type FlowScope, href, PageError, type PageProblem } from './scope.ts';

type Req = { Params: Record<string, string>; Querystring: Record<string, string>; Body: unknown };

const others = (b: Branding, scope: FlowScope) =>
  otherOptions(b, { upload: href(scope, '/upload'), form: href(scope, '/form') });

function flowRoutes(app: FastifyInstance, deps: Deps, p: string, scopeOf: ScopeOf): void {
  app.get<Req>(p, async (req, reply) => {
    const scope = await scopeOf(req);
    await openLanding(deps, scope, req.query.d);
    const b = await brand(deps, scope);
    if (scope.invite?.status === 'completed') {
      return sendPage(reply, successPage(b, { connectAnother: href(scope, '/items') }));
    }
    const csrf = await formToken(deps, scope, req, reply);
    return sendPage(reply, landingPage(b, { action: href(scope, '/enter'), csrf }));
  });

  app.post<Req>(`${p}/enter`, async (req, reply) => {
    const scope = await scopeOf(req);
    await requireCsrf(deps, scope, req, field(req.body, '_csrf'));
    const { directItem } = await enterLink(deps, scope);
    return seeOther(reply, href(scope, directItem ? `/items/${directItem.id}` : '/items'));
  });

  app.get<Req>(`${p}/items`, async (req, reply) => {
    const scope = await scopeOf(req);
    const all = offeredItems(scope);
    const [only] = all;
    if (all.length === 1 && only) return reply.redirect(href(scope, `/items/${only.id}`));
    const query = String(req.query.q ?? '').slice(0, 100);
    const items = searchItems(all, query);
    const b = await brand(deps, scope);
    const page = itemsPage(b, {
      items,
      query,
      search: {
        action: `${scope.base}/items`,
        params: scope.userToken ? { user_token: scope.userToken } : {},
      },
      itemHref: (i) => href(scope, `/items/${i.id}`),
      others: others(b, scope),
    });
    return sendPage(reply, page);
  });

  app.get<Req>(`${p}/items/:itemId`, async (req, reply) => {
    const scope = await scopeOf(req);
    const item = offeredItem(scope, req.params.itemId ?? '');
    const b = await brand(deps, scope);
    const page = loginPage(b, {
      item,
      action: href(scope, `/items/${item.id}/login`),
      csrf: await formToken(deps, scope, req, reply),
      error: req.query.error === 'credentials' ? copyFor(b.language).login.wrongCredentials : null,
      back: offeredItems(scope).length > 1 ? href(scope, '/items') : null,
      others: others(b, scope),
    });
    return sendPage(reply, page);
  });

  app.post<Req>(`${p}/items/:itemId/login`, async (req, reply) => {
    const scope = await scopeOf(req);
    await requireCsrf(deps, scope, req, field(req.body, '_csrf'));
    const item = offeredItem(scope, req.params.itemId ?? '');
    const result = await submitCredentials(
      deps,
      scope,
      item,
      field(req.body, 'username'),
      field(req.body, 'password'),
    );
    if (!result.accepted) return seeOther(reply, href(scope, `/items/${item.id}`, { error: 'credentials' }));
    if (result.connected) return seeOther(reply, href(scope, '/success'));
    return seeOther(reply, href(scope, `/accounts/${result.accountId}/verify`));
  });

  app.get<Req>(`${p}/accounts/:accountId/verify`, async (req, reply) => {
    const scope = await scopeOf(req);
    const account = await accountOf(deps, scope, req.params.accountId ?? '');
    if (account.status === 'connected') return reply.redirect(href(scope, '/success'));
    if (account.status !== 'connecting') return reply.redirect(href(scope, `/items/${account.item_id}`));
    const b = await brand(deps, scope);
    const page = verifyPage(b, {
      item: offeredItem(scope, account.item_id),
      action: href(scope, `/accounts/${account.id}/verify`),
      csrf: await formToken(deps, scope, req, reply),
      error: req.query.error === 'code' ? copyFor(b.language).verify.wrongCode : null,
    });
    return sendPage(reply, page);
  });

  app.post<Req>(`${p}/accounts/:accountId/verify`, async (req, reply) => {
    const scope = await scopeOf(req);
    await requireCsrf(deps, scope, req, field(req.body, '_csrf'));
    const id = req.params.accountId ?? '';
    const outcome = await submitCode(deps, scope, id, field(req.body, 'code'));
    if (outcome === 'connected') return seeOther(reply, href(scope, '/success'));
    if (outcome === 'wrong_code')
      return seeOther(reply, href(scope, `/accounts/${id}/verify`, { error: 'code' }));
    return seeOther(reply, href(scope, '/items'));
  });

  app.get<Req>(`${p}/success`, async (req, reply) => {
    const scope = await scopeOf(req);
    return sendPage(reply, successPage(await brand(deps, scope), { connectAnother: href(scope, '/items') }));
  });

  alternativeRoutes(app, deps, p, scopeOf);
}

/**
 * The invite a failed request's path names, so that its page is in the invite's language; none
 * when it names none, or when finding it fails too.
 */
async function inviteOfPath(deps: Deps, params: unknown) {
  const id = parseUuid((params as { inviteId?: unknown } | undefined)?.inviteId);
  return id ? ((await findInviteById(deps.db, id).catch(() => undefined)) ?? null) : null;
}

/** The recipient's side: the landing page an invite URL opens and the Link emulator behind it. */
export async function linkRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 10 } });
  app.addHook('onSend', async (_req, reply) => {
    reply.headers(PAGE_HEADERS);
  });
  app.setErrorHandler(async (err: FastifyError | PageError, req, reply) => {
    let problem: PageProblem = 'error';
    const fault = databaseFault(err);
    if (err instanceof PageError) problem = err.problem;
    else if (fault === 'busy' || fault === 'unreachable') {
      problem = 'busy';
      reply.header('retry-after', BUSY_RETRY_AFTER);
      req.log.warn({ err }, 'database busy');
    } else if (fault === 'full') {
      problem = 'storage_full';
      req.log.error({ err }, 'database storage is full');
    } else if (err.statusCode === statusOf('payload_too_large') || err.code === 'FST_REQ_FILE_TOO_LARGE') {
      problem = 'too_large';
    } else if (err.statusCode !== undefined && err.statusCode < statusOf('internal')) problem = 'bad_request';
    else req.log.error({ err }, 'unhandled error');
    const invite =
      err instanceof PageError ? err.invite : fault ? null : await inviteOfPath(deps, req.params);
    const page = messagePage(
      problem,
      invite ? await brandingFor(deps.db, invite, deps.config.PUBLIC_URL) : null,
    );
    return sendPage(reply, page.html, page.status);
  });
  for (const door of doors) flowRoutes(app, deps, door.prefix, door.scopeOf(deps));
  for (const path of ['/connect/*', '/link/*']) {
    app.all(path, async () => {
      throw new PageError('not_found');
    });
  }
}
