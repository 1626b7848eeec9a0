import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { errorResponses, FieldErrors } from '../http/schema.ts';
import {
  InviteSettingsObject,
  UpdateInviteSettingsRequest as UpdateBody,
  type UpdateInviteSettingsRequest,
} from './invite-settings.schema.ts';
import { getInviteSettings, updateInviteSettings } from './invite-settings.service.ts';

const tags = ['Invite settings'];

export async function inviteSettingsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/v2/invite-settings',
    {
      schema: {
        operationId: 'retrieveInviteSettings',
        summary: 'Retrieve the invite settings',
        description: '(invitekit) Defaults apply to every key never changed.',
        tags,
        response: { 200: Type.Ref(InviteSettingsObject), ...errorResponses },
      },
    },
    (req) => getInviteSettings(deps, req.principal.clientId),
  );

  app.patch<{ Body: UpdateInviteSettingsRequest }>(
    '/v2/invite-settings',
    {
      schema: {
        operationId: 'updateInviteSettings',
        summary: 'Update the invite settings',
        description:
          '(invitekit) Only the keys given change; nested objects change key by key; `null` resets a ' +
          'nullable key. `default_flow_id` must name a flow of this client.',
        tags,
        body: UpdateBody,
        response: { 200: Type.Ref(InviteSettingsObject), 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => updateInviteSettings(deps, req.principal.clientId, req.body),
  );
}
