import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertReady } from '../ops/readiness.ts';
import type { JobCatalog } from '../queue/jobs.ts';
import { checkMetricsToken, exposition, startProcessMetrics } from './exposition.ts';
import { WorkerMetrics } from './worker-metrics.ts';

export interface WorkerMetricsServer {
  /** The port it listens on (the one asked for, or the one given for 0). */
  readonly port: number;
  /** The worker's handlers, with webhook sends counted. */
  observeJobs(catalog: JobCatalog): JobCatalog;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

async function answer(
  deps: Deps,
  metrics: WorkerMetrics,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw AppError.detail('method_not_allowed', `Method "${req.method}" not allowed.`, { Allow: 'GET' });
  }
  if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (path === '/readyz') {
    await assertReady(deps);
    return sendJson(res, 200, { status: 'ok' });
  }
  if (path === '/metrics') {
    checkMetricsToken(deps.config.METRICS_TOKEN, req.headers.authorization);
    const { contentType, text } = await exposition(metrics.registry);
    return send(res, 200, contentType, text);
  }
  throw AppError.notFound();
}

/**
 * The worker's own small HTTP server on `port` (METRICS_PORT) of HOST: `/metrics`
 * (Prometheus text, behind METRICS_TOKEN when set), `/healthz` (the process answers) and
 * `/readyz` (its database answers and is migrated). Once it listens, the email and SMS
 * channels of `deps` count and time every send.
 */
export async function startWorkerMetrics(deps: Deps, port: number): Promise<WorkerMetricsServer> {
  startProcessMetrics();
  const metrics = new WorkerMetrics(deps);
  const server = createServer((req, res) => {
    answer(deps, metrics, req, res).catch((err: unknown) => {
      const known = err instanceof AppError ? err : AppError.detail('internal', 'A server error occurred.');
      if (!(err instanceof AppError)) deps.log.error({ err }, 'metrics request failed');
      sendJson(res, known.statusCode, known.body, known.headers);
    });
  });
  // The port serves probes and scrapes only: no slow client holds a socket for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is in use' : `cannot be opened (${err.code ?? err.message})`;
      reject(
        new Error(
          `The metrics port ${port} on ${deps.config.HOST} ${why}: choose another with METRICS_PORT (--metrics-port).`,
        ),
      );
    });
    server.listen(port, deps.config.HOST, () => {
      server.removeAllListeners('error');
      server.on('error', (err) => deps.log.error({ err }, 'metrics server failed'));
      resolve();
    });
  });
  deps.channels = metrics.observeChannels(deps.channels);
  return {
    port: (server.address() as AddressInfo).port,
    observeJobs: (catalog) => metrics.observeJobs(catalog),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
