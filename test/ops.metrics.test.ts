import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_KINDS } from '../src/job-kinds.ts';
import { startWorkerMetrics, type WorkerMetricsServer } from '../src/metrics/worker-server.ts';
import { MESSAGE_RETRY_SCHEDULE, WEBHOOK_RETRY_SCHEDULE } from '../src/queue/jobs.ts';
import { Worker } from '../src/queue/runner.ts';
import { freshDatabase, inviteBody, startTestApp, type TestApp } from './helpers/app.ts';
import { cliFor } from './helpers/cli.ts';
import { freePort } from './helpers/net.ts';
import { type Family, parsePrometheus, sampleValue } from './helpers/prometheus.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';
import { type Receiver, webhookReceiver } from './helpers/webhooks.ts';

const TOKEN = 'metrics-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };

let t: TestApp;
let smtp: SmtpSink;
let receiver: Receiver;
let metrics: WorkerMetricsServer;
let worker: Worker;

beforeAll(async () => {
  smtp = await smtpSink({ parse: false });
  receiver = await webhookReceiver();
  t = await startTestApp({
    SMTP_URL: smtp.url,
    METRICS_TOKEN: TOKEN,
    RATE_LIMIT_PER_MINUTE: '20',
    WEBHOOKS_ALLOW_PRIVATE: 'true',
    WEBHOOK_TIMEOUT_SECONDS: '2',
  });
  // What `invitekit worker --metrics-port` runs: the metrics server, then a worker with its handlers.
  metrics = await startWorkerMetrics(t.deps, 0);
  worker = new Worker(t.deps, metrics.observeJobs(JOB_KINDS), { concurrency: 4, pollMs: 1000 });
});
afterAll(async () => {
  await worker?.stop(1000);
  await metrics?.close();
  await t?.close();
  await smtp?.down();
  await receiver?.close();
});

async function apiMetrics(): Promise<Map<string, Family>> {
  const res = await t.request('GET', '/metrics', { auth: null, headers: bearer });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(res.raw);
}

async function workerGet(path: string, headers: Record<string, string> = bearer) {
  const res = await fetch(`http://127.0.0.1:${metrics.port}${path}`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function workerMetrics(): Promise<Map<string, Family>> {
  const res = await workerGet('/metrics');
  expect(res.status).toBe(200);
  return parsePrometheus(res.text);
}

describe('API /metrics', () => {
  it('counts requests by route pattern and status, never by URL', async () => {
    const missing = 'inv_does_not_exist_0001';
    const before = await apiMetrics();
    const duration = 'invitekit_http_request_duration_seconds_count';
    const notFound = { method: 'GET', route: '/v2/invites/:id', status: '404' };
    const listed = { method: 'GET', route: '/v2/invites', status: '200' };
    for (let i = 0; i < 3; i++) expect((await t.request('GET', `/v2/invites/${missing}`)).status).toBe(404);
    expect((await t.request('GET', '/v2/invites?email=someone@example.com')).status).toBe(200);

    const after = await apiMetrics();
    expect(sampleValue(after, duration, notFound) - sampleValue(before, duration, notFound)).toBe(3);
    expect(sampleValue(after, duration, listed) - sampleValue(before, duration, listed)).toBe(1);
    const labels = after
      .get('invitekit_http_request_duration_seconds')
      ?.samples.flatMap((s) => Object.values(s.labels));
    expect(labels?.some((v) => v.includes(missing) || v.includes('@'))).toBe(false);
    // The scrape itself is the one request in flight.
    expect(sampleValue(after, 'invitekit_http_requests_in_flight')).toBe(1);
    // The process's own measures ride along.
    expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('counts refusals for too many requests', async () => {
    const key = await t.newKey();
    const before = sampleValue(await apiMetrics(), 'invitekit_rate_limit_refusals_total', {
      route: '/v2/users',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 23; i++) statuses.push((await t.request('GET', '/v2/users', { auth: key })).status);
    const refused = statuses.filter((s) => s === 429).length;
    expect(refused).toBe(3);
    const after = sampleValue(await apiMetrics(), 'invitekit_rate_limit_refusals_total', {
      route: '/v2/users',
    });
    expect(after - before).toBe(refused);
  });

  it('asks for METRICS_TOKEN as a Bearer token when it is set', async () => {
    const none = await t.request('GET', '/metrics', { auth: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    for (const wrong of [
      'Bearer nope',
      `Bearer ${TOKEN}x`,
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN.slice(0, -1)}`,
    ]) {
      const res = await t.request('GET', '/metrics', { auth: null, headers: { authorization: wrong } });
      expect(res.status).toBe(401);
      expect(res.raw).not.toContain(TOKEN.slice(4));
    }
    // An API key is not a metrics token.
    expect((await t.request('GET', '/metrics')).status).toBe(401);
    const ok = await t.request('GET', '/metrics', { auth: null, headers: bearer });
    expect(ok.status).toBe(200);
    expect(ok.raw).not.toContain(TOKEN);
  });

  it('is open when METRICS_TOKEN is unset', async () => {
    const open = await startTestApp();
    try {
      const res = await open.request('GET', '/metrics', { auth: null });
      expect(res.status).toBe(200);
      expect(parsePrometheus(res.raw).has('invitekit_http_request_duration_seconds')).toBe(true);
    } finally {
      await open.close();
    }
  });
});

describe('worker metrics port', () => {
  it('answers /healthz and /readyz, and guards /metrics with the token', async () => {
    expect(await workerGet('/healthz', {})).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    expect(await workerGet('/readyz', {})).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    const refused = await workerGet('/metrics', {});
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.text)).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect((await workerGet('/metrics', { authorization: 'Bearer wrong-token' })).status).toBe(401);
    const other = await workerGet('/nothing');
    expect(other.status).toBe(404);
    expect(JSON.parse(other.text)).toEqual({ detail: 'Not found.' });
  });

  it('counts failed email attempts while SMTP is down, then the send, and shows the queue', async () => {
    await smtp.down();
    const before = await workerMetrics();
    const attempts = (outcome: string, m: Map<string, Family>) =>
      sampleValue(m, 'invitekit_attempts_total', { channel: 'email', outcome }) -
      sampleValue(before, 'invitekit_attempts_total', { channel: 'email', outcome });
    const jobs = (state: string, m: Map<string, Family>) =>
      sampleValue(m, 'invitekit_jobs', { kind: 'delivery.send', state });

    const sent = await t.request('POST', '/v2/invites', {
      body: inviteBody({ email: 'down@example.com', phone_number: undefined }),
    });
    expect(sent.status).toBe(200);
    const waiting = await workerMetrics();
    expect(jobs('queued', waiting)).toBe(1);
    expect(jobs('due', waiting)).toBe(1);

    await worker.drain();
    const failed = await workerMetrics();
    expect(attempts('retry', failed)).toBe(1);
    expect(attempts('sent', failed)).toBe(0);
    // Waiting for its retry: queued, not yet due.
    expect(jobs('queued', failed)).toBe(1);
    expect(jobs('due', failed)).toBe(0);
    expect(sampleValue(failed, 'invitekit_oldest_due_job_age_seconds')).toBe(0);

    // Due for 5 s past its retry time while the relay is still down: the age shows it.
    t.clock.advance(MESSAGE_RETRY_SCHEDULE[0] + 5000);
    const late = await workerMetrics();
    expect(jobs('due', late)).toBe(1);
    expect(sampleValue(late, 'invitekit_oldest_due_job_age_seconds')).toBe(5);
    await worker.drain();
    const twice = await workerMetrics();
    expect(attempts('retry', twice)).toBe(2);

    await smtp.up();
    t.clock.advance(MESSAGE_RETRY_SCHEDULE[1]);
    await worker.drain();
    const done = await workerMetrics();
    expect(attempts('retry', done)).toBe(2);
    expect(attempts('sent', done)).toBe(1);
    expect(jobs('queued', done)).toBe(0);
    expect(jobs('dead', done)).toBe(0);
    expect(
      sampleValue(done, 'invitekit_provider_duration_seconds_count', { channel: 'email' }) -
        sampleValue(before, 'invitekit_provider_duration_seconds_count', { channel: 'email' }),
    ).toBe(3);
    expect(done.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('counts webhook failures, then the delivery that succeeds', async () => {
    const key = await t.newKey();
    const hook = await t.request('POST', '/v2/webhooks', {
      auth: key,
      body: {
        events: ['invites.revoked'],
        name: 'flaky',
        url: receiver.url('/flaky'),
        secret: 'whsec-test-0123456789abcdef',
      },
    });
    expect(hook.status).toBe(200);
    receiver.script('/flaky', 500);
    const before = await workerMetrics();
    const delta = (name: string, labels: Record<string, string>, m: Map<string, Family>) =>
      sampleValue(m, name, labels) - sampleValue(before, name, labels);

    const invite = await t.request('POST', '/v2/invites', {
      auth: key,
      body: inviteBody({ email: 'hook@example.com', phone_number: undefined }),
    });
    await t.request('POST', `/v2/invites/${invite.body.id}/revoke`, { auth: key });
    await worker.drain();
    const failed = await workerMetrics();
    expect(delta('invitekit_webhook_failures_total', {}, failed)).toBe(1);
    expect(delta('invitekit_attempts_total', { channel: 'webhook', outcome: 'retry' }, failed)).toBe(1);
    expect(sampleValue(failed, 'invitekit_jobs', { kind: 'webhook.send', state: 'queued' })).toBe(1);

    t.clock.advance(WEBHOOK_RETRY_SCHEDULE[0]);
    await worker.drain();
    const done = await workerMetrics();
    expect(receiver.hits('/flaky')).toHaveLength(2);
    expect(delta('invitekit_webhook_failures_total', {}, done)).toBe(1);
    expect(delta('invitekit_attempts_total', { channel: 'webhook', outcome: 'sent' }, done)).toBe(1);
    expect(delta('invitekit_provider_duration_seconds_count', { channel: 'webhook' }, done)).toBe(2);
  });
});

describe('invitekit worker --metrics-port', () => {
  it('serves its probes and metrics on the port it is given, and a port in use is a one-line startup failure', async () => {
    const database = await freshDatabase();
    const { worker: runWorker, cli, killAll } = cliFor(database.url);
    try {
      expect((await cli(['migrate'])).code).toBe(0);
      const port = await freePort();
      const process = await runWorker({ METRICS_TOKEN: TOKEN, METRICS_PORT: String(port) });
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const scrape = await fetch(`${base}/metrics`, { headers: bearer });
      expect(scrape.status).toBe(200);
      const families = parsePrometheus(await scrape.text());
      expect(families.has('invitekit_jobs')).toBe(true);
      expect(families.has('invitekit_oldest_due_job_age_seconds')).toBe(true);

      // A second worker asked for the same port stops at once, saying which setting to change.
      const taken = await cli(['worker', '--metrics-port', String(port)]);
      expect(taken.code).toBe(3);
      expect(taken.stderr.trim().split('\n')).toHaveLength(1);
      expect(taken.stderr).toContain('METRICS_PORT (--metrics-port)');
      await process.stop();
    } finally {
      killAll();
      await database.drop();
    }
  }, 90_000);
});
