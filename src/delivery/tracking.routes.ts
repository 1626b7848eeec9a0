import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { verifyTwilioSignature } from '../channels/twilio.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { enterClientTime } from '../http/client-time.hook.ts';
import { findDeliveryById } from '../invites/deliveries.repo.ts';
import { parseUuid } from '../lib/ids.ts';
import { applySmsStatus, markDeliveryOpened } from './tracking.service.ts';

const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** Signals from outside: the email open pixel and Twilio's status callbacks. */
export async function trackingRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(formbody);
  // Sandbox mode: an open or a callback is recorded on its delivery's client's clock.
  if (deps.config.SANDBOX) {
    app.addHook(
      'preValidation',
      enterClientTime(deps, async (req) => {
        const id = parseUuid((req.params as { id?: string }).id);
        return id ? ((await findDeliveryById(deps.db, id))?.client_id ?? null) : null;
      }),
    );
  }

  app.get<{ Params: { id: string } }>('/t/:id/open.gif', { schema: { hide: true } }, async (req, reply) => {
    const id = parseUuid(req.params.id);
    if (id) await markDeliveryOpened(deps, id);
    // The same answer for every id, so the pixel tells nothing about which ids exist.
    return reply.header('cache-control', 'no-store').type('image/gif').send(PIXEL);
  });

  app.post<{ Params: { id: string }; Body: Record<string, string> }>(
    '/callbacks/twilio/status/:id',
    { schema: { hide: true } },
    async (req, reply) => {
      const token = deps.config.TWILIO_AUTH_TOKEN;
      const url = `${deps.config.PUBLIC_URL}${req.url}`;
      const params = (req.body ?? {}) as Record<string, string>;
      if (
        !token ||
        !verifyTwilioSignature(token, url, params, req.headers['x-twilio-signature'] as string | undefined)
      ) {
        throw AppError.detail('forbidden', 'Invalid Twilio signature.');
      }
      const id = parseUuid(req.params.id);
      if (id && typeof params.MessageStatus === 'string') {
        await applySmsStatus(deps, id, params.MessageStatus, params.ErrorCode || undefined);
      }
      return reply.code(204).send();
    },
  );
}
