import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { Detail, errorResponses, FieldErrors, IdParams } from '../http/schema.ts';
import { InviteObject } from '../invites/invites.schema.ts';
import {
  AdvanceClockRequest as AdvanceBody,
  type AdvanceClockRequest,
  ClockObject,
  SimulateDeliveryRequest as DeliveryBody,
  SimulateInviteRequest as InviteBody,
  ResetResult,
  type SimulateDeliveryRequest,
  type SimulateInviteRequest,
} from './sandbox.schema.ts';
import {
  advanceClock,
  ensureExists,
  readClock,
  resetSandbox,
  simulateDelivery,
  simulateInvite,
} from './sandbox.service.ts';

const tags = ['Sandbox'];
const invite = { 200: Type.Ref(InviteObject), 400: Type.Ref(FieldErrors), ...errorResponses };
const ONLY_IN_SANDBOX =
  ' Only in sandbox mode (`SANDBOX`; on by default while messages are captured); 404 otherwise.';

/**
 * Test helpers that do what the real world would (a recipient, a provider, time passing)
 * through the same code paths. Registered always, so the API reference stays one document;
 * outside sandbox mode each answers 404 as if it did not exist.
 */
export async function sandboxRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const onlyInSandbox = async (_req: FastifyRequest) => {
    if (!deps.config.SANDBOX) throw AppError.notFound();
  };

  app.post<{ Params: IdParams; Body: SimulateInviteRequest }>(
    '/v2/sandbox/invites/:id/simulate',
    {
      preValidation: [
        onlyInSandbox,
        (req) => ensureExists(deps, req.principal.clientId, 'invite', req.params.id),
      ],
      schema: {
        operationId: 'simulateInvite',
        summary: 'Act as the recipient',
        description:
          "(invitekit) Moves the invite as the recipient's browser would: the same statuses, events, accounts, completion notices and webhooks. What the pages would refuse (a revoked or expired invite: 410) is refused alike." +
          ONLY_IN_SANDBOX,
        tags,
        params: IdParams,
        body: InviteBody,
        response: { ...invite, 410: Type.Ref(Detail), 409: Type.Ref(Detail) },
      },
    },
    (req) => simulateInvite(deps, req.principal.clientId, req.params.id.toLowerCase(), req.body),
  );

  app.post<{ Params: IdParams; Body: SimulateDeliveryRequest }>(
    '/v2/sandbox/deliveries/:id/simulate',
    {
      preValidation: [
        onlyInSandbox,
        (req) => ensureExists(deps, req.principal.clientId, 'delivery', req.params.id),
      ],
      schema: {
        operationId: 'simulateDelivery',
        summary: 'Report a delivery status',
        description:
          "(invitekit) What the provider's callback or the email's tracking image would report; a STOP or hard-bounce code suppresses the address. Answers the delivery's invite." +
          ONLY_IN_SANDBOX,
        tags,
        params: IdParams,
        body: DeliveryBody,
        response: invite,
      },
    },
    (req) => simulateDelivery(deps, req.principal.clientId, req.params.id.toLowerCase(), req.body),
  );

  app.get(
    '/v2/sandbox/clock',
    {
      preValidation: onlyInSandbox,
      schema: {
        operationId: 'getSandboxClock',
        summary: "Read the client's clock",
        description: `(invitekit) This client's time.${ONLY_IN_SANDBOX}`,
        tags,
        response: { 200: Type.Ref(ClockObject), ...errorResponses },
      },
    },
    () => readClock(deps),
  );

  app.post<{ Body: AdvanceClockRequest }>(
    '/v2/sandbox/clock',
    {
      preValidation: onlyInSandbox,
      schema: {
        operationId: 'advanceSandboxClock',
        summary: "Move the client's clock forward",
        description:
          "(invitekit) Moves this client's time forward. Jobs that fall due (reminders, expiry, retries) run at once; the answer comes when they have settled." +
          ONLY_IN_SANDBOX,
        tags,
        body: AdvanceBody,
        response: { 200: Type.Ref(ClockObject), 400: Type.Ref(FieldErrors), ...errorResponses },
      },
    },
    (req) => advanceClock(deps, req.principal.clientId, req.body.advance_seconds),
  );

  app.post(
    '/v2/sandbox/reset',
    {
      preValidation: onlyInSandbox,
      schema: {
        operationId: 'resetSandbox',
        summary: "Delete the client's invites and what they made",
        description:
          "(invitekit) Deletes this client's invites, users, deliveries, events, accounts, documents, captured messages, webhook deliveries, suppressions and idempotency keys. Keys, flows, templates, settings and webhook subscriptions stay." +
          ONLY_IN_SANDBOX,
        tags,
        response: { 200: Type.Ref(ResetResult), ...errorResponses },
      },
    },
    (req) => resetSandbox(deps, req.principal.clientId),
  );
}
