import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance } from 'fastify';
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
  await app.register(scalar, {
    routePrefix: '/docs',
    configuration: { url: '/openapi.json', title: 'invitekit API reference' },
  });
}
