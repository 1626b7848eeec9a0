import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import {
  InviteEventList,
  type ListEventsQuery,
  ListEventsQuery as ListQuery,
} from './invite-events.schema.ts';
import { listInviteEvents } from './invite-events.service.ts';

export async function eventsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Params: IdParams; Querystring: ListEventsQuery }>(
    '/v2/invites/:id/events',
    {
      schema: {
        operationId: 'listInviteEvents',
        summary: 'List the events of an invite',
        description:
          '(invitekit) Every status change of the invite and of its deliveries, and what the recipient did in ' +
          'Link, each with its time. Newest first; cursor pagination as in the other lists.',
        tags: ['Invites'],
        params: IdParams,
        querystring: ListQuery,
        response: { 200: InviteEventList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => listInviteEvents(deps, req.principal.clientId, req.params.id.toLowerCase(), req.query),
  );
}
