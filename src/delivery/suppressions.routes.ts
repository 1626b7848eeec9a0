import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { errorResponses, FieldErrors } from '../http/schema.ts';
import {
  AddressParams,
  ListSuppressionsQuery as ListQuery,
  type ListSuppressionsQuery,
  SuppressionList,
} from './suppressions.schema.ts';
import { readSuppressions, releaseSuppression } from './suppressions.ts';

const tags = ['Suppressions'];

export async function suppressionsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Querystring: ListSuppressionsQuery }>(
    '/v2/suppressions',
    {
      schema: {
        operationId: 'listSuppressions',
        summary: 'List suppressed addresses',
        description:
          '(invitekit) The addresses no message goes to any more: emails that bounced for good (a 5xx ' +
          'answer) and numbers that replied STOP (Twilio 21610). Sends and reminders to them end ' +
          '`undelivered` at once.',
        tags,
        querystring: ListQuery,
        response: { 200: SuppressionList, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => readSuppressions(deps, req.principal.clientId, req.query),
  );

  app.delete<{ Params: AddressParams }>(
    '/v2/suppressions/:address',
    {
      schema: {
        operationId: 'releaseSuppression',
        summary: 'Release a suppressed address',
        description:
          '(invitekit) Lets messages go to the address (an email, or an E.164 number such as `+15005550004`, ' +
          'URL-encoded) again, for example once the mailbox exists or the person texted START. ' +
          'Answers 204; 404 when the address is not suppressed.',
        tags,
        params: AddressParams,
        response: { 204: Type.Null({ description: 'Released.' }), ...errorResponses },
      },
    },
    async (req, reply) => {
      await releaseSuppression(deps, req.principal.clientId, req.params.address);
      return reply.code(204).send();
    },
  );
}
