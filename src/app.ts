import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { accountsRoutes } from './accounts/accounts.routes.ts';
import { AccountObject } from './accounts/accounts.schema.ts';
import { basicAuth } from './auth/auth.hook.ts';
import { consoleFrameworkErrors, consoleRoutes } from './console/console.routes.tsx';
import { suppressionsRoutes } from './delivery/suppressions.routes.ts';
import { trackingRoutes } from './delivery/tracking.routes.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { flowsRoutes } from './flows/flows.routes.ts';
import { FlowObject } from './flows/flows.schema.ts';
import { enterClientTime } from './http/client-time.hook.ts';
import { registerDocs } from './http/docs.ts';
import { handleClientError, handleError, unsupportedMediaType } from './http/error-handler.ts';
import { idempotency } from './http/idempotency.ts';
import { jsonBodyParser } from './http/json-body.ts';
import { lazySerializers } from './http/lazy-serializer.ts';
import { authFailureGuard, limitRequestsPerKey } from './http/rate-limit.ts';
import { documentBodyErrors } from './http/route-docs.ts';
import { Detail, FieldErrors } from './http/schema.ts';
import { requestId } from './http/security.ts';
import { validatorCompiler } from './http/validation.ts';
import { inviteDocumentsRoutes } from './invites/invite-documents.routes.ts';
import { FormResponse, InviteDocument } from './invites/invite-documents.schema.ts';
import { eventsRoutes } from './invites/invite-events.routes.ts';
import { InviteEvent } from './invites/invite-events.schema.ts';
import { invitesRoutes } from './invites/invites.routes.ts';
import { InviteDelivery, InviteObject } from './invites/invites.schema.ts';
import { invitesBatchRoutes } from './invites/invites-batch.routes.ts';
import { BatchSendRequest, BatchSendResult } from './invites/invites-batch.schema.ts';
import { enterPageClientTime } from './link/client-time.ts';
import { linkRoutes } from './link/link.routes.ts';
import { shareableRoutes } from './link/shareable.routes.ts';
import { registerApiMetrics } from './metrics/api-metrics.ts';
import { probeRoutes } from './ops/probes.ts';
import { outboxRoutes } from './outbox/outbox.routes.ts';
import { OutboxMessage } from './outbox/outbox.schema.ts';
import { sandboxRoutes } from './sandbox/sandbox.routes.ts';
import { ClockObject, ResetResult } from './sandbox/sandbox.schema.ts';
import { inviteSettingsRoutes } from './settings/invite-settings.routes.ts';
import { InviteSettingsObject } from './settings/invite-settings.schema.ts';
import { templatesRoutes } from './templates/templates.routes.ts';
import { InviteTemplate } from './templates/templates.schema.ts';
import { usersRoutes } from './users/users.routes.ts';
import { UserObject, UserTokenObject } from './users/users.schema.ts';
import { webhooksRoutes } from './webhooks/webhooks.routes.ts';
import { WebhookDelivery, WebhookObject } from './webhooks/webhooks.schema.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The whole HTTP surface; it never listens, so tests and `serve` share it. */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    genReqId: requestId,
    bodyLimit: 1024 * 1024,
    // The client's address (for the per-address limit) comes from X-Forwarded-For only via these proxies.
    trustProxy: deps.config.TRUST_PROXY ?? false,
    // Slow clients: a whole request (headers and body) must arrive within REQUEST_TIMEOUT_SECONDS
    // (checked every second), headers within 20 s of it, and an idle socket closes after a minute.
    // Keep-alive outlasts the usual 60 s idle timeout of load balancers in front.
    requestTimeout: deps.config.REQUEST_TIMEOUT_SECONDS * 1000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 72_000,
    http: {
      headersTimeout: Math.min(20, deps.config.REQUEST_TIMEOUT_SECONDS) * 1000,
      connectionsCheckingInterval: 1000,
    },
    // One line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors the router raises before any route runs: the Console's page under /console, else
    // answered in the same wire format.
    frameworkErrors: consoleFrameworkErrors(deps, handleError),
    clientErrorHandler: handleClientError,
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id).header('x-content-type-options', 'nosniff');
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, not the URL: query strings can carry email addresses.
    const route = req.routeOptions.url ?? 'unmatched';
    req.log.info(
      { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
  registerApiMetrics(app, deps);
  app.setNotFoundHandler(async () => {
    throw AppError.notFound();
  });

  // Only JSON is accepted; an empty body (as clients send with re-send and revoke) is no body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBodyParser(app));
  // Any other type is refused, but an empty body of any type is just no body (a re-send
  // sent with a stray Content-Type must still work).
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (String(body) === '') return done(null, undefined);
    done(unsupportedMediaType(req.headers['content-type']), undefined);
  });

  for (const schema of [
    Detail,
    FieldErrors,
    InviteDelivery,
    InviteObject,
    BatchSendRequest,
    BatchSendResult,
    InviteTemplate,
    UserObject,
    UserTokenObject,
    OutboxMessage,
    AccountObject,
    InviteEvent,
    WebhookObject,
    WebhookDelivery,
    FlowObject,
    InviteSettingsObject,
    ClockObject,
    ResetResult,
    InviteDocument,
    FormResponse,
  ]) {
    app.addSchema(schema);
  }
  await registerDocs(app, deps.config);

  probeRoutes(app, deps);

  await app.register((i) => trackingRoutes(i, deps));
  // The Console: its own sessions and pages, never Basic auth.
  await app.register((i) => consoleRoutes(i, deps), { prefix: '/console' });
  // The recipient's pages: open to anyone holding an invite URL, a Shareable URL or a user token,
  // never Basic auth. Shareable URLs share the pages' parsers, headers and message pages.
  await app.register(async (i) => {
    // Pages, not API: they stay out of the OpenAPI document.
    i.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    if (deps.config.SANDBOX) i.addHook('preValidation', enterPageClientTime(deps));
    await linkRoutes(i, deps);
    await shareableRoutes(i, deps);
  });

  await app.register(async (api) => {
    const allowed = new Map<string, Set<string>>();
    api.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const set = allowed.get(route.url) ?? new Set();
      for (const m of methods) set.add(m);
      allowed.set(route.url, set);
    });
    api.addHook('onRoute', documentBodyErrors);
    api.addHook('onRequest', basicAuth(deps, authFailureGuard(deps)));
    limitRequestsPerKey(api, deps);
    if (deps.config.SANDBOX)
      api.addHook(
        'preValidation',
        enterClientTime(deps, (req) => req.principal.clientId),
      );
    // Answers with keys and personal data must not sit in shared caches.
    api.addHook('onSend', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
    });
    // A POST with no body validates as an empty object, as DRF reads it.
    api.addHook('preValidation', async (req) => {
      if (req.body === undefined && req.method === 'POST') req.body = {};
    });
    idempotency(api, deps);
    await api.register((i) => invitesBatchRoutes(i, deps));
    await api.register((i) => invitesRoutes(i, deps));
    await api.register((i) => templatesRoutes(i, deps));
    await api.register((i) => usersRoutes(i, deps));
    await api.register((i) => outboxRoutes(i, deps));
    await api.register((i) => accountsRoutes(i, deps));
    await api.register((i) => eventsRoutes(i, deps));
    await api.register((i) => inviteDocumentsRoutes(i, deps));
    await api.register((i) => webhooksRoutes(i, deps));
    await api.register((i) => flowsRoutes(i, deps));
    await api.register((i) => inviteSettingsRoutes(i, deps));
    await api.register((i) => suppressionsRoutes(i, deps));
    await api.register((i) => sandboxRoutes(i, deps));

    for (const [url, methods] of allowed) {
      const missing = METHODS.filter((m) => !methods.has(m));
      const allow = [...methods].filter((m) => m !== 'HEAD').join(', ');
      api.route({
        method: missing,
        url,
        schema: { hide: true },
        handler: async (req) => {
          throw AppError.detail('method_not_allowed', `Method "${req.method}" not allowed.`, {
            Allow: allow,
          });
        },
      });
    }
  });
  return app;
}
