import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { assertReady } from './readiness.ts';

/**
 * `/healthz`: the process is alive and answers (for a liveness probe). `/readyz`: it reaches its
 * database, which carries every migration of this version (for a load balancer or a readiness
 * probe; 503 with Retry-After otherwise).
 */
export function probeRoutes(app: FastifyInstance, deps: Deps): void {
  // Liveness: a database outage must not make a supervisor restart every API process.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async () => {
    await assertReady(deps);
    return { status: 'ok' };
  });
}
