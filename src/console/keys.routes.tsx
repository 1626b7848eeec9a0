import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createClientKey, getClientKey, listClientKeys, revokeClientKey } from '../auth/keys.service.ts';
import type { Deps } from '../deps.ts';
import { AppError, statusOf } from '../errors.ts';
import { parseUuid } from '../lib/ids.ts';
import { setFlash } from './flash.ts';
import { field, formErrorsOf, requireCsrf } from './forms.ts';
import { KeysPage } from './pages/keys.tsx';
import { KeyCreatedPage } from './pages/keys-created.tsx';
import { KeyRevokePage } from './pages/keys-revoke.tsx';
import { seeOther, sendPage } from './render.ts';
import { memberOf, requireMember } from './session.hook.ts';
import { shellOf } from './shell.ts';

type IdParams = { Params: { id: string } };

/** A key id from the path; anything that is not one names nothing. */
function keyIdFrom(req: FastifyRequest<IdParams>): string {
  const id = parseUuid(req.params.id);
  if (!id) throw AppError.notFound();
  return id;
}

/** API keys: the member's client's keys, creating one (its secret shown once) and revoking. */
export function registerKeysRoutes(app: FastifyInstance, deps: Deps): void {
  const guard = { preHandler: requireMember(deps, 'canManageKeys') };

  async function listPage(
    req: FastifyRequest,
    reply: FastifyReply,
    form: { name?: string; errors?: Record<string, string[]> } = {},
    status = 200,
  ) {
    const clientId = memberOf(req).clientId;
    const keys = await listClientKeys(deps, clientId);
    const shell = await shellOf(deps, req, reply);
    return sendPage(
      reply,
      <KeysPage shell={shell} clientId={clientId} keys={keys} name={form.name} errors={form.errors} />,
      status,
    );
  }

  app.get('/keys', guard, (req, reply) => listPage(req, reply));

  // The secret is in this answer alone: not in a redirect, a cookie, a log or a cache.
  app.post('/keys', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    const name = field(req.body, 'name');
    let key: Awaited<ReturnType<typeof createClientKey>>;
    try {
      key = await createClientKey(deps, memberOf(req).clientId, { name });
    } catch (err) {
      const errors = formErrorsOf(err);
      if (!errors) throw err;
      return listPage(req, reply, { name, errors }, statusOf('bad_request'));
    }
    const shell = await shellOf(deps, req, reply);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <KeyCreatedPage shell={shell} name={name.trim()} created={key} publicUrl={deps.config.PUBLIC_URL} />,
    );
  });

  app.get<IdParams>('/keys/:id/revoke', guard, async (req, reply) => {
    const apiKey = await getClientKey(deps, memberOf(req).clientId, keyIdFrom(req));
    if (apiKey.revoked_at !== null) return seeOther(reply, '/console/keys');
    const shell = await shellOf(deps, req, reply);
    return sendPage(reply, <KeyRevokePage shell={shell} apiKey={apiKey} />);
  });

  app.post<IdParams>('/keys/:id/revoke', guard, async (req, reply) => {
    await requireCsrf(deps, req);
    await revokeClientKey(deps, memberOf(req).clientId, keyIdFrom(req));
    setFlash(reply, deps.config, 'key_revoked');
    return seeOther(reply, '/console/keys');
  });
}
