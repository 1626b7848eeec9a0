import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Deps } from '../deps.ts';
import { statusOf } from '../errors.ts';
import { checkMetricsToken, exposition, startProcessMetrics } from './exposition.ts';

/** A route label for requests no route matched: the raw URL would make a series per address. */
const UNMATCHED = 'unmatched';

/**
 * The API's request measures and `GET /metrics`: duration by method, route pattern and
 * status, requests in flight, and refusals for too many requests. Each app has its own
 * registry; the route label is the pattern (`/v2/invites/:id`), never the URL, which holds
 * ids and may hold addresses.
 */
export function registerApiMetrics(app: FastifyInstance, deps: Deps): void {
  startProcessMetrics();
  const registry = new Registry();
  const duration = new Histogram({
    name: 'invitekit_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer being sent, by route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'invitekit_http_requests_in_flight',
    help: 'Requests received and not yet answered.',
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'invitekit_rate_limit_refusals_total',
    help: 'Requests refused for coming too often (429), by route pattern.',
    labelNames: ['route'],
    registers: [registry],
  });

  // A request leaves the in-flight count once: answered, or abandoned by its client.
  const counted = new WeakSet<FastifyRequest>();
  const done = (req: FastifyRequest) => {
    if (counted.delete(req)) inFlight.dec();
  };
  app.addHook('onRequest', async (req) => {
    counted.add(req);
    inFlight.inc();
  });
  app.addHook('onRequestAbort', async (req) => done(req));
  app.addHook('onResponse', async (req, reply) => {
    done(req);
    const route = req.routeOptions.url ?? UNMATCHED;
    const status = reply.statusCode;
    duration.observe({ method: req.method, route, status: String(status) }, reply.elapsedTime / 1000);
    if (status === statusOf('too_many_requests')) refusals.inc({ route });
  });

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    checkMetricsToken(deps.config.METRICS_TOKEN, req.headers.authorization);
    const { contentType, text } = await exposition(registry);
    return reply.header('cache-control', 'no-store').type(contentType).send(text);
  });
}
