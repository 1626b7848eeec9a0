import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { errorResponses, FieldErrors } from '../http/schema.ts';
import { PAGE_HEADERS } from '../http/security.ts';
import { outboxPage } from './outbox.page.ts';
import { OutboxPage, type OutboxQuery, OutboxQuery as Query } from './outbox.schema.ts';
import { listMessages, readOutbox } from './outbox.service.ts';

/** The capture outbox, under the client's API key (a browser shows its Basic auth prompt). */
export async function outboxRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get<{ Querystring: OutboxQuery }>(
    '/outbox/messages',
    {
      schema: {
        operationId: 'listOutboxMessages',
        summary: 'List captured messages',
        description:
          'Email and SMS the capture channel stored instead of sending (when no SMTP_URL / Twilio is set), newest first.',
        tags: ['Outbox (sandbox)'],
        querystring: Query,
        response: { 200: OutboxPage, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => listMessages(deps, req.principal.clientId, req.query),
  );

  app.get<{ Querystring: OutboxQuery }>(
    '/outbox',
    // The filter form sends its empty fields too: an empty optional parameter is absent (http/validation.ts).
    { schema: { hide: true, querystring: Query } },
    async (req, reply) => {
      const { page, filters } = await readOutbox(deps, req.principal.clientId, req.query);
      // The same policy as the recipient's pages: each email is shown in a sandboxed srcdoc
      // frame, which takes this policy too, so its HTML runs no script either.
      return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(outboxPage(page, filters));
    },
  );
}
