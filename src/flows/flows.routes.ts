import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { recoveryOf, resourceId } from '../http/idempotency.ts';
import { errorResponses, FieldErrors } from '../http/schema.ts';
import {
  CreateFlowRequest as CreateBody,
  type CreateFlowRequest,
  FlowList,
  FlowListQuery,
  FlowObject,
  FlowParams,
  UpdateFlowRequest as UpdateBody,
  type UpdateFlowRequest,
} from './flows.schema.ts';
import * as service from './flows.service.ts';

const tags = ['Flows'];

export async function flowsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post<{ Body: CreateFlowRequest }>(
    '/v2/flows',
    {
      // A retry whose first try committed: the flow it made, as it is now.
      config: {
        recover: (req, resource) => service.getFlow(deps, req.principal.clientId, resourceId(resource)),
      },
      schema: {
        operationId: 'createFlow',
        summary: 'Create a flow',
        description:
          '(invitekit) An Email/SMS template (`email_sms_template`): the fields of `override_invite_template` ' +
          'and `flow_items`, under a name; invites name it with `flow_id`. Or a Shareable URL ' +
          '(`shareable_url`): the page texts, branding and `flow_items`, with `active`, `notify_emails` and ' +
          '`allow_email_override`; its `url` makes an invite for each visitor who enters Link.',
        tags,
        body: CreateBody,
        response: { 200: Type.Ref(FlowObject), 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => service.createFlow(deps, req.principal.clientId, req.body, recoveryOf(req)),
  );

  app.get<{ Querystring: FlowListQuery }>(
    '/v2/flows',
    {
      schema: {
        operationId: 'listFlows',
        summary: 'List flows',
        description: '(invitekit) Newest first; deleted flows are left out.',
        tags,
        querystring: FlowListQuery,
        response: { 200: FlowList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => service.listFlows(deps, req.principal.clientId, req.query),
  );

  app.get<{ Params: FlowParams }>(
    '/v2/flows/:id',
    {
      schema: {
        operationId: 'retrieveFlow',
        summary: 'Retrieve a flow',
        tags,
        params: FlowParams,
        response: { 200: Type.Ref(FlowObject), ...errorResponses },
      },
    },
    (req) => service.getFlow(deps, req.principal.clientId, service.flowIdOf(req.params.id)),
  );

  app.patch<{ Params: FlowParams; Body: UpdateFlowRequest }>(
    '/v2/flows/:id',
    {
      schema: {
        operationId: 'updateFlow',
        summary: 'Update a flow',
        description:
          '(invitekit) Only the keys given change: a template field given replaces the one stored, and ' +
          '`null` clears it (`notify_emails: null` empties the list). `type` never changes.',
        tags,
        params: FlowParams,
        body: UpdateBody,
        response: { 200: Type.Ref(FlowObject), 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => service.updateFlow(deps, req.principal.clientId, service.flowIdOf(req.params.id), req.body),
  );

  app.delete<{ Params: FlowParams }>(
    '/v2/flows/:id',
    {
      schema: {
        operationId: 'deleteFlow',
        summary: 'Delete a flow',
        description:
          '(invitekit) New invites can no longer name it, and a Shareable URL no longer opens; invites it ' +
          'already rendered keep their pages and re-sends.',
        tags,
        params: FlowParams,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      await service.deleteFlow(deps, req.principal.clientId, service.flowIdOf(req.params.id));
      return reply.code(204).send();
    },
  );
}
