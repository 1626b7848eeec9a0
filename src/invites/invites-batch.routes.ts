import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, type FieldErrors as Errors, fieldErrorsFromAjv } from '../errors.ts';
import { partsRecoveryOf } from '../http/idempotency.ts';
import { errorResponses, FieldErrors } from '../http/schema.ts';
import { validatorCompiler } from '../http/validation.ts';
import { BatchEnvelope, BatchSendRequest, BatchSendResponse, MAX_BATCH } from './invites-batch.schema.ts';
import { sendInviteBatch } from './invites-batch.service.ts';

/** Room for a thousand invites that each carry an override template. */
const BODY_LIMIT = 8 * 1024 * 1024;

/** The body's own problems; those inside an item are that item's, answered in its result. */
function envelopeErrors(req: FastifyRequest, perMinute: number): Errors {
  const found = (req.validationError?.validation ?? []) as Parameters<typeof fieldErrorsFromAjv>[0];
  const errors = fieldErrorsFromAjv(found.filter((e) => !/^\/invites\/\d/.test(e.instancePath)));
  // A batch the key could not send in any minute would be refused for ever: say so instead.
  if (!errors.invites && perMinute > 0 && itemsOf(req) > perMinute) {
    errors.invites = [`Ensure this field has no more than ${perMinute} elements.`];
  }
  return errors;
}

/** How many items the body holds, before it is validated. */
function itemsOf(req: FastifyRequest): number {
  const invites = (req.body as { invites?: unknown } | null | undefined)?.invites;
  return Array.isArray(invites) ? invites.length : 0;
}

export async function invitesBatchRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const perMinute = deps.config.RATE_LIMIT_PER_MINUTE;
  // Each item is a send: a batch takes one unit of the key's rate limit per item. A body that
  // will be refused as a whole (too many items, or none) takes one, as any request does.
  const rateLimitUnits = (req: FastifyRequest) => {
    const n = itemsOf(req);
    return n <= Math.min(MAX_BATCH, perMinute) ? n : 1;
  };
  // A retry whose key already committed part of the batch goes on where it stopped.
  const send = (req: FastifyRequest) =>
    sendInviteBatch(
      deps,
      req.principal.clientId,
      (req.body as { invites: unknown[] }).invites,
      partsRecoveryOf(req),
    );

  app.post(
    '/v2/invites/batch',
    {
      config: { recover: send, rateLimitUnits },
      bodyLimit: BODY_LIMIT,
      attachValidation: true,
      // The documented body names each item's schema; validation checks the envelope only,
      // and the service checks each item on its own.
      validatorCompiler: (def) =>
        validatorCompiler(def.httpPart === 'body' ? { ...def, schema: BatchEnvelope } : def),
      schema: {
        operationId: 'sendInviteBatch',
        summary: 'Send a batch of invites',
        description:
          `(invitekit) Sends up to ${MAX_BATCH} invites in one request. Each item is judged and sent exactly ` +
          'as `POST /v2/invites` judges and sends one body; a bad item is answered with its field errors ' +
          'and never stops the others. The answer holds one result per item, in order. With an ' +
          '`Idempotency-Key`, a retry never sends an item twice, even after the server died mid-batch. ' +
          'Under the per-key rate limit each item counts as one request: a batch bigger than what is ' +
          'left of the minute is refused whole (429 with `Retry-After`), and one bigger than the limit ' +
          'itself is a 400 on `invites`.',
        tags: ['Invites'],
        body: Type.Ref(BatchSendRequest),
        response: { 200: BatchSendResponse, 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    async (req) => {
      const errors = envelopeErrors(req, perMinute);
      if (Object.keys(errors).length > 0) throw AppError.fields(errors);
      return send(req);
    },
  );
}
