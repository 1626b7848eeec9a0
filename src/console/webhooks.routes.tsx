import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, statusOf } from '../errors.ts';
import { parseUuid } from '../lib/ids.ts';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events.ts';
import { CreateWebhookRequest } from '../webhooks/webhooks.schema.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listDeliveryAttempts,
  listWebhooks,
  MAX_WEBHOOKS,
  retryDelivery,
  sendTestEvent,
} from '../webhooks/webhooks.service.ts';
import { setFlash } from './flash.ts';
import { field, formErrorsOf, requireCsrf } from './forms.ts';
import { WebhooksPage } from './pages/webhooks.tsx';
import { WebhookDeletePage } from './pages/webhooks-delete.tsx';
import { WebhookPage } from './pages/webhooks-detail.tsx';
import { WebhookFormPage, type WebhookFormValues } from './pages/webhooks-form.tsx';
import { WebhookSecretPage } from './pages/webhooks-secret.tsx';
import { seeOther, sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';
import { checkBody } from './templates.form.ts';

type IdParams = { Params: { id: string } };
type DeliveryParams = { Params: { id: string; delivery: string } };

/** The log's page size, as the API's default. */
const LOG_LIMIT = 10;

/** An id from the path; anything that is not one names nothing. */
function idFrom(value: string): string {
  const id = parseUuid(value);
  if (!id) throw AppError.notFound();
  return id;
}

/** Every value of a repeated form field (the events' checkboxes). */
function fieldList(body: unknown, name: string): string[] {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((s): s is string => typeof s === 'string');
}

/** The API's page link as the Console's: the same cursor on the subscription's page. */
function consolePage(hookId: string, apiUrl: string | null): string | null {
  if (apiUrl === null) return null;
  const cursor = new URL(apiUrl).searchParams.get('cursor');
  return cursor ? `/console/webhooks/${hookId}?cursor=${encodeURIComponent(cursor)}` : null;
}

/** The API request the form makes; an empty secret asks for a generated one. */
function requestOf(values: WebhookFormValues): Record<string, unknown> {
  const request: Record<string, unknown> = { name: values.name, url: values.url, events: values.events };
  if (values.secret !== '') request.secret = values.secret;
  return request;
}

/** Webhooks: the client's subscriptions, each with its delivery log, retries and test events. */
export function registerWebhooksRoutes(app: FastifyInstance, deps: Deps): void {
  const guard = { preHandler: requireMember(deps, 'canManageWebhooks') };

  async function formPage(
    req: FastifyRequest,
    reply: FastifyReply,
    values: WebhookFormValues,
    errors?: Record<string, string[]>,
  ) {
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <WebhookFormPage shell={shell} values={values} errors={errors} events={WEBHOOK_EVENTS} />,
      errors ? statusOf('bad_request') : 200,
    );
  }

  app.get('/webhooks', guard, async (req, reply) => {
    const page = await listWebhooks(deps, memberOf(req).clientId, { limit: MAX_WEBHOOKS });
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <WebhooksPage shell={shell} hooks={page.results} max={MAX_WEBHOOKS} />);
  });

  app.get('/webhooks/new', guard, (req, reply) =>
    formPage(req, reply, { name: '', url: '', events: [], secret: '' }),
  );

  app.post('/webhooks/new', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const values = {
      name: field(req.body, 'name'),
      url: field(req.body, 'url'),
      events: fieldList(req.body, 'events'),
      secret: field(req.body, 'secret'),
    };
    let id: string;
    try {
      const hook = await createWebhook(
        deps,
        memberOf(req).clientId,
        checkBody(CreateWebhookRequest, requestOf(values)),
      );
      id = hook.id;
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return formPage(req, reply, values, errors);
    }
    setFlash(reply, deps.config, 'webhook_created');
    return seeOther(reply, `/console/webhooks/${id}`);
  });

  app.get<IdParams & { Querystring: { cursor?: string } }>('/webhooks/:id', guard, async (req, reply) => {
    const clientId = memberOf(req).clientId;
    const id = idFrom(req.params.id);
    const hook = await getWebhook(deps, clientId, id);
    const cursor = typeof req.query.cursor === 'string' ? req.query.cursor : undefined;
    const log = await listDeliveries(deps, clientId, id, { limit: LOG_LIMIT, cursor });
    const attempts = await listDeliveryAttempts(
      deps,
      clientId,
      log.results.map((d) => d.id),
    );
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <WebhookPage
        shell={shell}
        hook={hook}
        deliveries={log.results}
        attempts={attempts}
        pages={{ next: consolePage(id, log.next), previous: consolePage(id, log.previous) }}
      />,
    );
  });

  // The secret is in this answer alone: the subscription's page shows only its last characters.
  app.post<IdParams>('/webhooks/:id/secret', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const hook = await getWebhook(deps, memberOf(req).clientId, idFrom(req.params.id));
    const shell = await shellOf(deps, req, reply);
    reply.header('cache-control', 'no-store');
    return sendPage(reply, <WebhookSecretPage shell={shell} hook={hook} />);
  });

  app.post<IdParams>('/webhooks/:id/test', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const id = idFrom(req.params.id);
    await sendTestEvent(deps, memberOf(req).clientId, id);
    setFlash(reply, deps.config, 'webhook_test_queued');
    return seeOther(reply, `/console/webhooks/${id}`);
  });

  app.post<DeliveryParams>('/webhooks/:id/deliveries/:delivery/retry', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const id = idFrom(req.params.id);
    await retryDelivery(deps, memberOf(req).clientId, id, idFrom(req.params.delivery));
    setFlash(reply, deps.config, 'webhook_retry_queued');
    return seeOther(reply, `/console/webhooks/${id}`);
  });

  app.get<IdParams>('/webhooks/:id/delete', guard, async (req, reply) => {
    const hook = await getWebhook(deps, memberOf(req).clientId, idFrom(req.params.id));
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <WebhookDeletePage shell={shell} hook={hook} />);
  });

  app.post<IdParams>('/webhooks/:id/delete', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    await deleteWebhook(deps, memberOf(req).clientId, idFrom(req.params.id));
    setFlash(reply, deps.config, 'webhook_deleted');
    return seeOther(reply, '/console/webhooks');
  });
}
