import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { recoveryOf, resourceId } from '../http/idempotency.ts';
import { errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import {
  InviteTemplateRequest as CreateBody,
  InviteTemplate,
  type InviteTemplateRequest,
  ListTemplatesQuery as ListQuery,
  type ListTemplatesQuery,
} from './templates.schema.ts';
import { createTemplate, deleteTemplate, getTemplate, listTemplates } from './templates.service.ts';

const tags = ['Invite templates (legacy)'];

export async function templatesRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post<{ Body: InviteTemplateRequest }>(
    '/v2/invite-templates',
    {
      config: { recover: (req, resource) => getTemplate(deps, req.principal.clientId, resourceId(resource)) },
      schema: {
        operationId: 'createInviteTemplate',
        summary: 'Create a template',
        description: 'Returns the template; its id is used as invite_template_id when sending invites.',
        tags,
        body: CreateBody,
        response: { 200: Type.Ref(InviteTemplate), 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => createTemplate(deps, req.principal.clientId, req.body, recoveryOf(req)),
  );

  app.get<{ Querystring: ListTemplatesQuery }>(
    '/v2/invite-templates',
    {
      schema: {
        operationId: 'listInviteTemplates',
        summary: 'List all templates',
        description: 'A bare JSON array of templates, newest first.',
        tags,
        querystring: ListQuery,
        response: {
          200: Type.Array(Type.Ref(InviteTemplate)),
          400: Type.Ref(FieldErrors),
          ...errorResponses,
        },
      },
    },
    (req) => listTemplates(deps, req.principal.clientId, req.query.limit ?? 10),
  );

  app.get<{ Params: IdParams }>(
    '/v2/invite-templates/:id',
    {
      schema: {
        operationId: 'retrieveInviteTemplate',
        summary: 'Retrieve a template',
        tags,
        params: IdParams,
        response: { 200: Type.Ref(InviteTemplate), ...errorResponses },
      },
    },
    (req) => getTemplate(deps, req.principal.clientId, req.params.id.toLowerCase()),
  );

  app.delete<{ Params: IdParams }>(
    '/v2/invite-templates/:id',
    {
      schema: {
        operationId: 'deleteInviteTemplate',
        summary: 'Delete a template',
        description:
          'Answers 200, as the hosted API does, with an empty object. Invites sent with the template keep it: ' +
          'they stay readable and keep its text.',
        tags,
        params: IdParams,
        response: {
          // Seed 004 documents only "200 status code." (its user delete reads "204 status code:
          // No content."), so no body is promised; an empty object reads as JSON to any client.
          200: Type.Object({}, { additionalProperties: false, description: 'Deleted.' }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      await deleteTemplate(deps, req.principal.clientId, req.params.id.toLowerCase());
      return {};
    },
  );
}
