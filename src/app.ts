import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { sql } from 'kysely';
import { basicAuth } from './auth/auth.hook.ts';
import { trackingRoutes } from './delivery/tracking.routes.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';
import { registerDocs } from './http/docs.ts';
import { handleError } from './http/error-handler.ts';
import { Detail, FieldErrors } from './http/schema.ts';
import { validatorCompiler } from './http/validation.ts';
import { invitesRoutes } from './invites/invites.routes.ts';
import { InviteDelivery, InviteObject } from './invites/invites.schema.ts';
import { accountsRoutes } from './link/accounts.routes.ts';
import { AccountObject } from './link/accounts.schema.ts';
import { eventsRoutes } from './link/events.routes.ts';
import { InviteEvent } from './link/events.schema.ts';
import { linkRoutes } from './link/link.routes.ts';
import { outboxRoutes } from './outbox/outbox.routes.ts';
import { OutboxMessage } from './outbox/outbox.schema.ts';
import { templatesRoutes } from './templates/templates.routes.ts';
import { InviteTemplate } from './templates/templates.schema.ts';
import { usersRoutes } from './users/users.routes.ts';
import { UserObject, UserTokenObject } from './users/users.schema.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The whole HTTP surface; it never listens, so tests and `serve` share it. */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // One line per request (below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Errors the router raises before any route runs, answered in the same wire format.
    frameworkErrors: handleError,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, not the URL: query strings can carry email addresses.
    const route = req.routeOptions.url ?? 'unmatched';
    req.log.info(
      { method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ detail: 'Not found.' }));

  // Only JSON is accepted; an empty body (as clients send with re-send and revoke) is no body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(AppError.badRequest(`JSON parse error - ${(err as Error).message}`), undefined);
    }
  });
  // Any other type is refused, but an empty body of any type is just no body (a re-send
  // sent with a stray Content-Type must still work).
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (String(body) === '') return done(null, undefined);
    done(
      new AppError(415, {
        detail: `Unsupported media type "${req.headers['content-type'] ?? ''}" in request.`,
      }),
      undefined,
    );
  });

  for (const schema of [
    Detail,
    FieldErrors,
    InviteDelivery,
    InviteObject,
    InviteTemplate,
    UserObject,
    UserTokenObject,
    OutboxMessage,
    AccountObject,
    InviteEvent,
  ]) {
    app.addSchema(schema);
  }
  await registerDocs(app, deps.config);

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await sql`select 1`.execute(deps.db).catch(() => {
      throw new AppError(503, { detail: 'Database unavailable.' });
    });
    return { status: 'ok' };
  });

  await app.register((i) => trackingRoutes(i, deps));
  // The recipient's pages: open to anyone holding an invite URL or a user token, never Basic auth.
  await app.register((i) => linkRoutes(i, deps));

  await app.register(async (api) => {
    const allowed = new Map<string, Set<string>>();
    api.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const set = allowed.get(route.url) ?? new Set();
      for (const m of methods) set.add(m);
      allowed.set(route.url, set);
    });
    api.addHook('onRequest', basicAuth(deps));
    // A POST with no body validates as an empty object, as DRF reads it.
    api.addHook('preValidation', async (req) => {
      if (req.body === undefined && req.method === 'POST') req.body = {};
    });
    await api.register((i) => invitesRoutes(i, deps));
    await api.register((i) => templatesRoutes(i, deps));
    await api.register((i) => usersRoutes(i, deps));
    await api.register((i) => outboxRoutes(i, deps));
    await api.register((i) => accountsRoutes(i, deps));
    await api.register((i) => eventsRoutes(i, deps));

    for (const [url, methods] of allowed) {
      const missing = METHODS.filter((m) => !methods.has(m));
      const allow = [...methods].filter((m) => m !== 'HEAD').join(', ');
      api.route({
        method: missing,
        url,
        schema: { hide: true },
        handler: async (req, reply) =>
          reply
            .code(405)
            .header('Allow', allow)
            .send({ detail: `Method "${req.method}" not allowed.` }),
      });
    }
  });
  return app;
}
