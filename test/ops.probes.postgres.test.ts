import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import type { Deps } from '../src/deps.ts';
import { startWorkerMetrics, type WorkerMetricsServer } from '../src/metrics/worker-server.ts';
import { PUBLIC_URL } from './helpers/app.ts';
import { parsePrometheus } from './helpers/prometheus.ts';
import { proxiedDatabase } from './helpers/proxied-database.ts';
import type { TcpProxy } from './helpers/tcp-proxy.ts';

// An API and a worker's metrics port reaching PostgreSQL through a proxy this file cuts and
// restores: the database gone and back, in one running process.
let proxy: TcpProxy;
let deps: Deps;
let app: Awaited<ReturnType<typeof buildApp>>;
let metrics: WorkerMetricsServer;
let password: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await proxiedDatabase();
  ({ proxy, password, drop } = database);
  const config = loadConfig({ DATABASE_URL: database.url, PUBLIC_URL, LOG_LEVEL: 'silent' });
  deps = await createDeps(config);
  app = await buildApp(deps);
  await app.ready();
  metrics = await startWorkerMetrics(deps, 0);
});
afterAll(async () => {
  await metrics?.close();
  await app?.close();
  if (deps) await closeDeps(deps);
  await proxy?.close();
  await drop?.();
});

const api = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.body };
};
const worker = async (url: string) => {
  const res = await fetch(`http://127.0.0.1:${metrics.port}${url}`);
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after') ?? undefined,
    body: await res.text(),
  };
};

describe('probes while PostgreSQL is cut off', () => {
  it('/readyz answers 503 with Retry-After on both, the worker stays alive, and both recover', async () => {
    for (const get of [api, worker]) expect((await get('/readyz')).status).toBe(200);
    await proxy.cut();
    try {
      for (const get of [api, worker]) {
        const ready = await get('/readyz');
        expect(ready).toMatchObject({ status: 503, retryAfter: '5' });
        expect(JSON.parse(ready.body)).toEqual({ detail: 'Database unavailable.' });
        expect(ready.body).not.toContain(password);
      }
      // /healthz says the process runs, on both: an outage is /readyz's to report.
      for (const get of [api, worker]) expect((await get('/healthz')).status).toBe(200);
      // Metrics still answer, without the queue they cannot read, and valid.
      const scrape = await worker('/metrics');
      expect(scrape.status).toBe(200);
      const families = parsePrometheus(scrape.body);
      expect(families.get('invitekit_jobs')?.samples).toEqual([]);
      expect(scrape.body).not.toContain(password);
      expect((await api('/metrics')).status).toBe(200);
    } finally {
      await proxy.restore();
    }
    for (const get of [api, worker]) expect((await get('/readyz')).status).toBe(200);
    expect((await api('/healthz')).status).toBe(200);
  });
});
