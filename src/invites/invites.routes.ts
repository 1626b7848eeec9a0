import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { fieldErrorsFromAjv } from '../errors.ts';
import { recoveryOf, resourceId } from '../http/idempotency.ts';
import { Detail, errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import { dropEmptyContacts } from './invites.input.ts';
import {
  InviteList,
  InviteObject,
  type ListInvitesQuery,
  ListInvitesQuery as ListQuery,
  SendInviteRequest as SendBody,
  type SendInviteRequest,
} from './invites.schema.ts';
import { getInvite, listInvites, resendInvite, revokeInvite, sendInvite } from './invites.service.ts';

const tags = ['Invites'];
const invite = { 200: Type.Ref(InviteObject), ...errorResponses };

export async function invitesRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  // A retry of a send, re-send or revoke whose first try committed: the invite as it is now.
  const recover = (req: FastifyRequest, resource: string) =>
    getInvite(deps, req.principal.clientId, resourceId(resource));

  app.post<{ Body: SendInviteRequest }>(
    '/v2/invites',
    {
      config: { recover },
      attachValidation: true,
      preValidation: async (req) => dropEmptyContacts(req.body),
      schema: {
        operationId: 'sendInvite',
        summary: 'Send an invite',
        description:
          'Sends an invite by email, SMS, or both. Returns the invite object with a fresh user_token.',
        tags,
        body: SendBody,
        response: { ...invite, 400: Type.Ref(FieldErrors) },
      },
    },
    (req) =>
      sendInvite(
        deps,
        req.principal.clientId,
        req.body,
        req.validationError ? fieldErrorsFromAjv(req.validationError.validation as never) : {},
        recoveryOf(req),
      ),
  );

  app.get<{ Querystring: ListInvitesQuery }>(
    '/v2/invites',
    {
      schema: {
        operationId: 'listInvites',
        summary: 'List all invites',
        description:
          'Newest first. Follow `next` / `previous` as given: the cursor carries the filters and limit.',
        tags,
        querystring: ListQuery,
        response: { 200: InviteList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => listInvites(deps, req.principal.clientId, req.query),
  );

  app.get<{ Params: IdParams }>(
    '/v2/invites/:id',
    {
      schema: {
        operationId: 'retrieveInvite',
        summary: 'Retrieve an invite',
        tags,
        params: IdParams,
        response: invite,
      },
    },
    (req) => getInvite(deps, req.principal.clientId, req.params.id.toLowerCase()),
  );

  app.post<{ Params: IdParams }>(
    '/v2/invites/:id',
    {
      config: { recover },
      schema: {
        operationId: 'resendInvite',
        summary: 'Re-send an invite',
        description:
          'Sends the invite again by each of its methods (a new delivery each, newest first) and updates ' +
          '`invited_at` and `updated_at`. A revoked invite cannot be re-sent (400).',
        tags,
        params: IdParams,
        response: { ...invite, 400: Type.Ref(Detail) },
      },
    },
    (req) => resendInvite(deps, req.principal.clientId, req.params.id.toLowerCase(), recoveryOf(req)),
  );

  app.post<{ Params: IdParams }>(
    '/v2/invites/:id/revoke',
    {
      config: { recover },
      schema: {
        operationId: 'revokeInvite',
        summary: 'Revoke an invite',
        description:
          'The invite URL then shows an "invite has expired" page. Revoking again returns the invite unchanged; ' +
          'a completed invite cannot be revoked (400).',
        tags,
        params: IdParams,
        response: { ...invite, 400: Type.Ref(Detail) },
      },
    },
    (req) => revokeInvite(deps, req.principal.clientId, req.params.id.toLowerCase(), recoveryOf(req)),
  );
}
