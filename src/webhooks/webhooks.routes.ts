import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { recoveryOf, resourceId } from '../http/idempotency.ts';
import { errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import {
  CreateWebhookRequest as CreateBody,
  type CreateWebhookRequest,
  DeliveryParams,
  ListQuery,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookList,
  WebhookObject,
} from './webhooks.schema.ts';
import * as service from './webhooks.service.ts';

const tags = ['Webhooks'];

export async function webhooksRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // Retries whose first try committed: what it made, as it is now.
  const recoverWebhook = (req: FastifyRequest, resource: string) =>
    service.getWebhook(deps, req.principal.clientId, resourceId(resource));
  const recoverDelivery = (req: FastifyRequest, resource: string) =>
    service.getDelivery(deps, req.principal.clientId, resourceId(resource));

  app.post<{ Body: CreateWebhookRequest }>(
    '/v2/webhooks',
    {
      config: { recover: recoverWebhook },
      schema: {
        operationId: 'createWebhook',
        summary: 'Subscribe to webhooks',
        description:
          'Events are POSTed to `url` as `{"event", "name", "data"}`, signed in X-Argyle-Signature (hex ' +
          'HMAC-SHA512 of the raw body keyed with `secret`), with X-Invitekit-Event-Id and ' +
          'X-Invitekit-Timestamp for deduplication and replay checks. Failed deliveries are retried for ' +
          'about 24 hours (timeouts, network errors, 429, 5xx).',
        tags,
        body: CreateBody,
        response: { 200: Type.Ref(WebhookObject), 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => service.createWebhook(deps, req.principal.clientId, req.body, recoveryOf(req)),
  );

  app.get<{ Querystring: ListQuery }>(
    '/v2/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        summary: 'List webhook subscriptions',
        tags,
        querystring: ListQuery,
        response: { 200: WebhookList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => service.listWebhooks(deps, req.principal.clientId, req.query),
  );

  app.get<{ Params: IdParams }>(
    '/v2/webhooks/:id',
    {
      schema: {
        operationId: 'retrieveWebhook',
        summary: 'Retrieve a webhook subscription',
        tags,
        params: IdParams,
        response: { 200: Type.Ref(WebhookObject), ...errorResponses },
      },
    },
    (req) => service.getWebhook(deps, req.principal.clientId, req.params.id.toLowerCase()),
  );

  app.delete<{ Params: IdParams }>(
    '/v2/webhooks/:id',
    {
      schema: {
        operationId: 'deleteWebhook',
        summary: 'Delete a webhook subscription',
        description: 'Its deliveries go with it; those still waiting are not sent.',
        tags,
        params: IdParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      await service.deleteWebhook(deps, req.principal.clientId, req.params.id.toLowerCase());
      return reply.code(204).send();
    },
  );

  app.post<{ Params: IdParams }>(
    '/v2/webhooks/:id/test',
    {
      config: { recover: recoverDelivery },
      schema: {
        operationId: 'testWebhook',
        summary: 'Send a test event',
        description:
          '(invitekit) Queues a signed `webhooks.test` event, tried once at once, even when the subscription ' +
          'is disabled; its success enables a disabled subscription again. Answers the delivery.',
        tags,
        params: IdParams,
        response: { 200: Type.Ref(WebhookDelivery), ...errorResponses },
      },
    },
    (req) =>
      service.sendTestEvent(deps, req.principal.clientId, req.params.id.toLowerCase(), recoveryOf(req)),
  );

  app.get<{ Params: IdParams; Querystring: ListQuery }>(
    '/v2/webhooks/:id/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: 'List the deliveries of a subscription',
        description:
          '(invitekit) One entry per event sent to the subscription, newest first, with its status, ' +
          'attempts and the last answer.',
        tags,
        params: IdParams,
        querystring: ListQuery,
        response: { 200: WebhookDeliveryList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => service.listDeliveries(deps, req.principal.clientId, req.params.id.toLowerCase(), req.query),
  );

  app.post<{ Params: DeliveryParams }>(
    '/v2/webhooks/:id/deliveries/:delivery_id/retry',
    {
      config: { recover: recoverDelivery },
      schema: {
        operationId: 'retryWebhookDelivery',
        summary: 'Send a delivery again',
        description:
          '(invitekit) Sends the same body (same event id, same signature) now: a delivery waiting for ' +
          'its next retry is brought forward; a finished one gets one more attempt. Answers the delivery.',
        tags,
        params: DeliveryParams,
        response: { 200: Type.Ref(WebhookDelivery), ...errorResponses },
      },
    },
    (req) =>
      service.retryDelivery(
        deps,
        req.principal.clientId,
        req.params.id.toLowerCase(),
        req.params.delivery_id.toLowerCase(),
        recoveryOf(req),
      ),
  );
}
