import cookie, { fastifyCookie } from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { AppError, type ErrorKind, statusOf } from '../errors.ts';
import { BUSY_RETRY_AFTER, databaseFault } from '../http/error-handler.ts';
import { resumeSession } from '../members/sessions.service.ts';
import { assetRoutes } from './assets.ts';
import { authRoutes, showSignIn } from './auth.routes.tsx';
import { registerBulkRoutes } from './bulk.routes.tsx';
import { SESSION_COOKIE } from './cookies.ts';
import { csrfToken } from './csrf.ts';
import { registerDashboardRoutes } from './dashboard.routes.tsx';
import { registerInvitesRoutes, showInvites } from './invites.routes.tsx';
import { registerKeysRoutes } from './keys.routes.tsx';
import { registerOutboxRoutes } from './outbox.routes.tsx';
import { MessagePage } from './pages/message.tsx';
import { sendPage } from './render.ts';
import { registerSendRoutes } from './send.routes.tsx';
import { loadMember } from './session.hook.ts';
import { registerSettingsRoutes } from './settings.routes.tsx';
import type { Shell } from './shell.ts';
import { shellOf } from './shell.ts';
import { registerTeamRoutes } from './team.routes.tsx';
import { registerTemplatesRoutes } from './templates.routes.tsx';
import { registerWebhooksRoutes } from './webhooks.routes.tsx';

/**
 * The Console's policy: scripts and styles only from /console/assets, no inline ones; forms post
 * only here; no framing, and no URL (set-password tokens) leaks through Referer.
 */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
} as const;

/**
 * Pages that show a recipient's email or pages as a preview (in a sandboxed `srcdoc` frame,
 * which takes its parent's policy): those documents carry inline styles and remote logos, so
 * the policy lets styles inline and images over https. Scripts stay refused everywhere.
 */
const PREVIEW_POLICY = PAGE_HEADERS['content-security-policy']
  .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
  .replace("img-src 'self' data:", "img-src 'self' data: https:");

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route shows a recipient's email or pages as a preview (see PREVIEW_POLICY). */
    previews?: boolean;
  }
}

const showsPreviews = (req: FastifyRequest) => req.routeOptions.config?.previews === true;

const TITLES: Partial<Record<ErrorKind, string>> = {
  bad_request: 'Check the request',
  forbidden: 'Not allowed',
  not_found: 'Page not found',
  gone: 'Link expired',
  payload_too_large: 'Too large',
  too_many_requests: 'Too many requests',
  unavailable: 'Busy',
  insufficient_storage: 'Storage full',
};

/** Every page and form under /console; registered with that prefix. */
export async function consoleRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(cookie);
  await app.register(formbody);
  app.decorateRequest('member', null);
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.addHook('onSend', async (req, reply) => {
    reply.headers({ ...PAGE_HEADERS, 'cache-control': reply.getHeader('cache-control') ?? 'no-store' });
    if (showsPreviews(req)) reply.header('content-security-policy', PREVIEW_POLICY);
  });
  app.addHook('preHandler', loadMember(deps));

  // Work a request started but did not wait for (a reset email), finished before the app closes.
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  app.addHook('onClose', async () => {
    await Promise.all(pending);
  });

  app.setErrorHandler(async (err: FastifyError | AppError, req, reply) => errorPage(deps, err, req, reply));
  app.setNotFoundHandler(async (req, reply) =>
    messagePage(deps, req, reply, 'not_found', 'There is nothing at this address.'),
  );

  assetRoutes(app);
  app.get('/', async (req, reply) =>
    req.member ? showInvites(deps, req, reply) : showSignIn(deps, req, reply),
  );
  authRoutes(app, deps, track);
  registerSendRoutes(app, deps);
  registerBulkRoutes(app, deps);
  registerInvitesRoutes(app, deps);
  registerTemplatesRoutes(app, deps);
  registerSettingsRoutes(app, deps);
  registerDashboardRoutes(app, deps);
  registerTeamRoutes(app, deps);
  registerKeysRoutes(app, deps);
  registerWebhooksRoutes(app, deps);
  if (deps.config.SANDBOX) registerOutboxRoutes(app, deps);
}

type FrameworkErrorHandler = (error: FastifyError, req: FastifyRequest, reply: FastifyReply) => unknown;

const isConsoleUrl = (url: string) => /^\/console(?:[/?#]|$)/.test(url);

/**
 * The errors Fastify's router raises before any route runs (`frameworkErrors`): under /console,
 * the Console's pages; elsewhere `fallback`. A URL the router cannot read (bad percent-encoding,
 * an over-long segment) names nothing, as an unknown id does: the same not-found page.
 */
export function consoleFrameworkErrors(deps: Deps, fallback: FrameworkErrorHandler): FrameworkErrorHandler {
  return async (error, req, reply) => {
    if (!isConsoleUrl(req.url)) return fallback(error, req, reply);
    // No hook of the Console ran: its headers, cookies and member are set up here.
    reply.headers({ ...PAGE_HEADERS, 'x-request-id': req.id, 'x-content-type-options': 'nosniff' });
    const shell = await routerErrorFrame(deps, req, reply);
    const unreadable = error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH';
    const err = unreadable ? AppError.notFound() : AppError.badRequest('This request could not be read.');
    const title = TITLES[err.kind] ?? 'Something went wrong';
    const message = typeof err.body.detail === 'string' ? err.body.detail : title;
    return sendPage(reply, <MessagePage shell={shell} title={title} message={message} />, err.statusCode);
  };
}

/**
 * The frame of a page for a request no Console hook saw: the member its session cookie signs in
 * (no flash, no new cookie), or signed out when that cannot be read.
 */
async function routerErrorFrame(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<Shell> {
  const signedOut: Shell = { member: null, csrf: '', flash: null, sandbox: deps.config.SANDBOX, path: '' };
  try {
    const token = fastifyCookie.parse(req.headers.cookie ?? '')[SESSION_COOKIE];
    req.member = await resumeSession(deps, token);
    if (!req.member) return signedOut;
    return { ...signedOut, member: req.member, csrf: await csrfToken(deps, req, reply) };
  } catch {
    req.member = null;
    return signedOut;
  }
}

/** The page's frame, or a signed-out one when even that fails (the database is out of reach). */
async function frameFor(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<Shell> {
  try {
    return await shellOf(deps, req, reply);
  } catch {
    return { member: null, csrf: '', flash: null, sandbox: deps.config.SANDBOX, path: '' };
  }
}

async function messagePage(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: ErrorKind,
  message: string,
) {
  const shell = await frameFor(deps, req, reply);
  const title = TITLES[kind] ?? 'Something went wrong';
  return sendPage(reply, <MessagePage shell={shell} title={title} message={message} />, statusOf(kind));
}

/** Every error as a page in the Console's frame, with the status the API would answer. */
async function errorPage(deps: Deps, err: FastifyError | AppError, req: FastifyRequest, reply: FastifyReply) {
  req.member ??= null;
  if (err instanceof AppError) {
    reply.headers(err.headers);
    const detail = typeof err.body.detail === 'string' ? err.body.detail : 'Check the form and try again.';
    return messagePage(deps, req, reply, err.kind, detail);
  }
  const fault = databaseFault(err);
  if (fault === 'busy' || fault === 'unreachable') {
    req.log.warn({ err }, 'database busy');
    reply.header('retry-after', BUSY_RETRY_AFTER);
    return messagePage(deps, req, reply, 'unavailable', 'The server is busy. Try again in a few seconds.');
  }
  if (fault === 'full') {
    req.log.error({ err }, 'database storage is full');
    return messagePage(
      deps,
      req,
      reply,
      'insufficient_storage',
      "The server's storage is full; nothing was saved.",
    );
  }
  if (err.statusCode === statusOf('payload_too_large')) {
    return messagePage(deps, req, reply, 'payload_too_large', 'What was sent is too large.');
  }
  if (err.statusCode !== undefined && err.statusCode < statusOf('internal')) {
    return messagePage(deps, req, reply, 'bad_request', 'This request could not be read.');
  }
  req.log.error({ err }, 'unhandled error');
  return messagePage(deps, req, reply, 'internal', 'Something went wrong on our side. Try again.');
}
