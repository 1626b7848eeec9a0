import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';

/** OpenAPI 3 generated from the route schemas, at /openapi.json, and a reference page at /docs. */
export async function registerDocs(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'invitekit — Invites API v2',
        version: 'v2',
        description:
          'Email or text users a URL connecting them to Link. Wire-compatible with the hosted Invites API v2: ' +
          'HTTP Basic auth (api_key_id / api_key_secret), DRF-style errors, cursor pagination.',
      },
      servers: [{ url: config.PUBLIC_URL }],
      components: {
        securitySchemes: {
          basicAuth: {
            type: 'http',
            scheme: 'basic',
            description: 'Username = api_key_id, Password = api_key_secret',
          },
        },
      },
      security: [{ basicAuth: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  let reference: Promise<FastifyInstance> | undefined;
  const serve = async (req: FastifyRequest, reply: FastifyReply) => {
    reference ??= referenceApp();
    const res = await (await reference).inject({ method: req.method as 'GET', url: req.url });
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && PASSED_HEADERS.has(name)) reply.header(name, value);
    }
    return reply.code(res.statusCode).send(res.rawPayload);
  };
  app.route({ method: ['GET', 'HEAD'], url: '/docs', schema: { hide: true }, handler: serve });
  app.route({ method: ['GET', 'HEAD'], url: '/docs/*', schema: { hide: true }, handler: serve });
  app.addHook('onClose', async () => {
    if (reference) await (await reference).close();
  });
}

const PASSED_HEADERS = new Set(['content-type', 'cache-control', 'etag', 'last-modified', 'location']);

/**
 * The reference page (Scalar), loaded on its first visit: its module holds the whole viewer,
 * about 30 MB of a server's memory that most never use. It runs as an app of its own, asked
 * in-process.
 */
async function referenceApp(): Promise<FastifyInstance> {
  const { default: scalar } = await import('@scalar/fastify-api-reference');
  const reference = Fastify();
  await reference.register(scalar, {
    routePrefix: '/docs',
    configuration: { url: '/openapi.json', title: 'invitekit API reference' },
  });
  await reference.ready();
  return reference;
}
