import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { migrationProvider } from '../src/db/migrations/index.ts';
import { startWorkerMetrics, type WorkerMetricsServer } from '../src/metrics/worker-server.ts';
import { checkProduction } from '../src/ops/production-check.ts';
import { lineSink, PUBLIC_URL, startTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let metrics: WorkerMetricsServer;
beforeAll(async () => {
  t = await startTestApp();
  metrics = await startWorkerMetrics(t.deps, 0);
});
afterAll(async () => {
  await metrics?.close();
  await t?.close();
});

async function workerGet(path: string) {
  const res = await fetch(`http://127.0.0.1:${metrics.port}${path}`);
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

describe('probes', () => {
  it('/healthz and /readyz answer ok on the API and the worker port, without credentials', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await t.request('GET', path, { auth: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(await workerGet(path)).toMatchObject({ status: 200, body: { status: 'ok' } });
    }
  });

  it('/readyz is 503 while the database lacks a migration of this version; /healthz stays 200', async () => {
    // The database as the version before the latest left it.
    const names = Object.keys(await migrationProvider.getMigrations());
    const latest = names[names.length - 1] ?? '';
    const [row] = (
      await sql<{
        name: string;
        timestamp: string;
      }>`select name, timestamp from kysely_migration where name = ${latest}`.execute(t.deps.db)
    ).rows;
    expect(row).toBeDefined();
    await sql`delete from kysely_migration where name = ${latest}`.execute(t.deps.db);
    try {
      const api = await t.request('GET', '/readyz', { auth: null });
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toBe('5');
      expect(api.body.detail).toContain(`Database migrations pending: ${latest}.`);
      expect(api.body.detail).toContain('invitekit migrate');
      const worker = await workerGet('/readyz');
      expect(worker).toMatchObject({ status: 503, retryAfter: '5', body: api.body });
      expect((await t.request('GET', '/healthz', { auth: null })).status).toBe(200);
      expect((await workerGet('/healthz')).status).toBe(200);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${row?.name}, ${row?.timestamp})`.execute(
        t.deps.db,
      );
    }
    expect((await t.request('GET', '/readyz', { auth: null })).status).toBe(200);
    expect((await workerGet('/readyz')).status).toBe(200);
  });
});

describe('worker metrics port', () => {
  it('refuses a port in use with one line naming METRICS_PORT, and counts nothing', async () => {
    const channels = t.deps.channels;
    await expect(startWorkerMetrics(t.deps, metrics.port)).rejects.toThrow(
      new RegExp(
        `^The metrics port ${metrics.port} on 0\\.0\\.0\\.0 is in use: choose another with METRICS_PORT \\(--metrics-port\\)\\.$`,
      ),
    );
    expect(t.deps.channels).toBe(channels);
  });
});

describe('production check at start', () => {
  function check(env: Record<string, string>, processEnv: Record<string, string> = {}) {
    const lines: string[] = [];
    const config = loadConfig({ PUBLIC_URL, DATABASE_URL: 'sqlite::memory:', ...env });
    const warnings = checkProduction({ config, log: createLogger(config, lineSink(lines)) }, processEnv);
    return { warnings, logged: lines.map((l) => JSON.parse(l)) };
  }

  it('warns when NODE_ENV=production runs in capture mode with the sandbox on', () => {
    const { warnings, logged } = check({}, { NODE_ENV: 'production' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/SMTP_URL is unset: email is captured/);
    expect(warnings[1]).toMatch(/SANDBOX/);
    expect(logged.map((l) => [l.level, l.msg])).toEqual(warnings.map((w) => [40, w]));
  });

  it('warns about WEBHOOKS_ALLOW_PRIVATE=true in any mode', () => {
    const { warnings } = check({ WEBHOOKS_ALLOW_PRIVATE: 'true' });
    expect(warnings).toEqual([
      expect.stringMatching(/^WEBHOOKS_ALLOW_PRIVATE=true: webhooks may reach private/),
    ]);
  });

  it('is quiet for a production server that sends, and for development', () => {
    const sending = { SMTP_URL: 'smtp://relay.example.com:587', SANDBOX: 'false' };
    expect(check(sending, { NODE_ENV: 'production' })).toEqual({ warnings: [], logged: [] });
    expect(check({}, { NODE_ENV: 'development' })).toEqual({ warnings: [], logged: [] });
  });
});
