import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { assertDatabaseReachable, assertReady } from './readiness.ts';

/**
 * `/healthz`: the process answers and reaches its database (503 with Retry-After when it
 * cannot). `/readyz`: that, and the database carries every migration of this version.
 */
export function probeRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await assertDatabaseReachable(deps);
    return { status: 'ok' };
  });
  app.get('/readyz', { schema: { hide: true } }, async () => {
    await assertReady(deps);
    return { status: 'ok' };
  });
}
