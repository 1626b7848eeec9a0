import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { type BatchResult, batchSection, measureBatch } from './batch.ts';
import { type CaptureLatency, captureLatency } from './capture.ts';
import { type ConsoleListRow, consoleListSection, measureConsoleList } from './console-list.ts';
import { type DeliveryRow, measureNodemailerCeiling, measurePipeline } from './delivery.ts';
import { startFloor } from './floor-setup.ts';
import { type JobsRow, jobsSection, measureJobs } from './jobs.ts';
import { freePort, load, type Row, startProcess, table } from './lib.ts';
import { measureScale, type ScaleResult, scaleSection } from './list.ts';
import { seedInvites } from './seed.ts';
import { measureStartup, type StartupRow, startupSection } from './startup.ts';

/**
 * `npm run bench`: the API on a SQLite file with 100k invites against a bare Fastify
 * ceiling, the delivery pipeline, and list latency and send throughput on SQLite and
 * PostgreSQL at 10k and 1M invites, all measured in this one run. Writes bench/results.md.
 */
const SEED = Number(process.env.BENCH_SEED ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const ONLY = process.env.BENCH_ONLY; // api | delivery | list | jobs | batch | console | startup
const DELIVERY_SECONDS = Number(process.env.BENCH_DELIVERY_SECONDS ?? 20);
const LIST_SIZES = (process.env.BENCH_LIST_SIZES ?? '10000,1000000').split(',').map(Number);
const LIST_REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 300);
const JOBS_SIZES = (process.env.BENCH_JOBS_SIZES ?? '0,200000,1000000').split(',').map(Number);
const BATCH_SIZE = Number(process.env.BENCH_BATCH_SIZE ?? 100);

const dir = mkdtempSync(join(tmpdir(), 'invitekit-bench-'));
const databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
const port = await freePort();
// The per-key request limit would answer most of a load test with 429s: it is off here.
const env = {
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL,
  RATE_LIMIT_PER_MINUTE: '0',
};

const rows: Row[] = [];
let seedSeconds = 0;
let capture = null as CaptureLatency | null;
if (!ONLY || ONLY === 'api') {
  const deps = await createDeps(loadConfig({ ...env, LOG_LEVEL: 'warn' }));
  const key = await createKey(deps, { name: 'bench' });
  const t = performance.now();
  const ids = await seedInvites(deps.db, key.client_id, SEED);
  seedSeconds = (performance.now() - t) / 1000;
  await closeDeps(deps);
  console.log(`seeded ${SEED} invites in ${seedSeconds.toFixed(1)} s`);
  rows.push(...(await measureApi(key, ids)));
}

async function measureApi(key: { api_key_id: string; api_key_secret: string }, ids: string[]) {
  const server = await startProcess(['bin/invitekit.js', 'serve'], env, 'running at');
  const base = `http://127.0.0.1:${port}`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${key.api_key_id}:${key.api_key_secret}`).toString('base64')}`,
    'content-type': 'application/json',
  };
  const sample = await (await fetch(`${base}/v2/invites/${ids[0]}`, { headers })).text();

  const ceilingPort = await freePort();
  const ceiling = await startProcess(
    ['--import', 'tsx', 'bench/ceiling.ts'],
    { PORT: String(ceilingPort), CEILING_BODY: sample },
    'ready',
  );

  const floor = await startFloor(dir, join(dir, 'bench.db'));

  const pick = () => ids[Math.floor(Math.random() * ids.length)];
  const send = JSON.stringify({ first_name: 'Bench', last_name: 'Mark', email: 'bench@example.com' });
  const targets: [string, Parameters<typeof load>[1]][] = [
    [
      'ceiling: bare Fastify, same-sized JSON',
      { url: `http://127.0.0.1:${ceilingPort}/ceiling`, duration: DURATION },
    ],
    [
      'floor: bare Fastify + the invite and its deliveries read by key',
      {
        url: floor.base,
        duration: DURATION,
        requests: [{ setupRequest: (r) => ({ ...r, path: `/floor/invites/${pick()}` }) }],
      },
    ],
    [
      'floor: bare Fastify + one send’s rows written, commits shared',
      {
        url: `${floor.base}/floor/invites`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: send,
        duration: DURATION,
      },
    ],
    [
      'GET /v2/invites/{id}',
      {
        url: base,
        headers,
        duration: DURATION,
        requests: [{ setupRequest: (r) => ({ ...r, path: `/v2/invites/${pick()}` }) }],
      },
    ],
    ['GET /v2/invites?limit=50', { url: `${base}/v2/invites?limit=50`, headers, duration: DURATION }],
    [
      'POST /v2/invites',
      { url: `${base}/v2/invites`, method: 'POST', headers, body: send, duration: DURATION },
    ],
  ];

  const measured: Row[] = [];
  for (const [name, opts] of targets) {
    await load(name, { ...opts, duration: 2 }); // warm-up: JIT, caches, SQLite pages
    const since = new Date().toISOString();
    const row = await load(name, opts);
    // The worker runs in the server: how long each send waited for its captured email.
    if (opts.method === 'POST' && String(opts.url).startsWith(base)) {
      capture = await captureLatency(join(dir, 'bench.db'), since);
    }
    measured.push(row);
    console.log(`${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
  }
  server.kill('SIGTERM');
  ceiling.kill('SIGTERM');
  floor.process.kill('SIGTERM');
  return measured;
}

// Delivery: invites/s from POST to acceptance by an SMTP sink, against nodemailer alone.
const deliveryRows: DeliveryRow[] = [];
if (!ONLY || ONLY === 'delivery') {
  deliveryRows.push(await measureNodemailerCeiling(DELIVERY_SECONDS, 16));
  const startServer = (workerApart: boolean) => async (smtpPort: number) => {
    const pipelineDir = mkdtempSync(join(tmpdir(), 'invitekit-bench-delivery-'));
    const p = await freePort();
    const env = {
      DATABASE_URL: `sqlite:${join(pipelineDir, 'pipeline.db')}`,
      PORT: String(p),
      HOST: '127.0.0.1',
      LOG_LEVEL,
      RATE_LIMIT_PER_MINUTE: '0',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}?ignoreTLS=true`,
      INVITEKIT_API_KEY_ID: 'bench',
      INVITEKIT_API_KEY_SECRET: 'bench-secret-bench-secret',
    };
    const api = await startProcess(
      ['bin/invitekit.js', 'serve', ...(workerApart ? ['--no-worker'] : [])],
      env,
      'running at',
    );
    const worker = workerApart ? await startProcess(['bin/invitekit.js', 'worker'], env, 'running on') : null;
    return {
      base: `http://127.0.0.1:${p}`,
      auth: `Basic ${Buffer.from('bench:bench-secret-bench-secret').toString('base64')}`,
      stop: async () => {
        api.kill('SIGTERM');
        worker?.kill('SIGTERM');
        rmSync(pipelineDir, { recursive: true, force: true });
      },
    };
  };
  deliveryRows.push(
    await measurePipeline(
      'pipeline: `serve` (API + worker in one process)',
      DELIVERY_SECONDS,
      16,
      startServer(false),
    ),
  );
  deliveryRows.push(
    await measurePipeline(
      'pipeline: `serve --no-worker` + `worker`',
      DELIVERY_SECONDS,
      16,
      startServer(true),
    ),
  );
  for (const r of deliveryRows)
    console.log(`${r.name}: ${r.perSecond.toFixed(0)}/s, p50 ${r.p50} ms, p99 ${r.p99} ms`);
}
const deliveryTable = [
  '| path | messages/s | p50 ms | p99 ms | vs ceiling | messages |',
  '|---|---:|---:|---:|---:|---:|',
  ...deliveryRows.map(
    (r) =>
      `| ${r.name} | ${r.perSecond.toFixed(0)} | ${r.p50 ?? '-'} | ${r.p99 ?? '-'} | ${((r.perSecond / deliveryRows[0]!.perSecond) * 100).toFixed(0)}% | ${r.sent} |`,
  ),
].join('\n');

// SQLite and PostgreSQL at 10k and 1M invites: list latency, seeding time, send throughput.
let scale: ScaleResult | null = null;
if (!ONLY || ONLY === 'list') {
  scale = await measureScale({
    sizes: LIST_SIZES,
    requests: LIST_REQUESTS,
    duration: DURATION,
    logLevel: LOG_LEVEL,
  });
}

// Sends with the worker on at 0, 200k and 1M finished jobs: the claim must not read them.
let jobRows: JobsRow[] = [];
if (!ONLY || ONLY === 'jobs') {
  jobRows = await measureJobs({ sizes: JOBS_SIZES, duration: DURATION, logLevel: LOG_LEVEL });
}

// Invites a second through POST /v2/invites/batch against single sends.
let batch: BatchResult | null = null;
if (!ONLY || ONLY === 'batch') {
  batch = await measureBatch({ size: BATCH_SIZE, duration: DURATION, logLevel: LOG_LEVEL });
}

// The Console's Invites page at 10k and 1M invites: its time to first byte must not grow with them.
let consoleRows: ConsoleListRow[] = [];
if (!ONLY || ONLY === 'console') {
  consoleRows = await measureConsoleList({ sizes: LIST_SIZES, requests: LIST_REQUESTS });
}

// How fast `serve` is healthy, and its idle memory: the build against the sources.
const STARTUP_RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
let startupRows: StartupRow[] = [];
if (!ONLY || ONLY === 'startup') {
  startupRows = await measureStartup(STARTUP_RUNS);
}

const report = [
  '# Benchmark results',
  '',
  `Run by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`,
  `SQLite file seeded with ${SEED.toLocaleString('en-US')} invites by bulk insert in ${seedSeconds.toFixed(1)} s;`,
  `autocannon, 16 connections, ${DURATION} s per target after a 2 s warm-up; server LOG_LEVEL=${LOG_LEVEL}, RATE_LIMIT_PER_MINUTE=0.`,
  'The ceiling is bare Fastify (no auth, database or schema) returning a JSON object the size of an invite.',
  'The floors (bench/floor.ts) are bare Fastify doing only the database work a route cannot skip, on the same',
  'schema and SQLite settings: the retrieve reads the invite and its deliveries by key from the seeded file;',
  'the send writes one email-only send’s rows (user, invite, delivery, job, event; time-ordered ids) into a file',
  'of its own, in commits shared by the sends of one event-loop turn, each in its own savepoint. No auth,',
  'validation, user token, idempotency, logging or webhooks: a route that keeps the contract does this work and more.',
  '',
  rows.length ? table(rows, rows[0]!.rps) : '(API section not run)',
  '',
  capture
    ? `Send → captured, for the ${capture.invites.toLocaleString('en-US')} invites of the POST run (the worker in the server, email captured): p50 ${capture.p50} ms, p99 ${capture.p99} ms${capture.missing ? `; ${capture.missing} without a message once the queue was empty` : ''}.`
    : '',
  '',
  'Targets: retrieve ≥ 50% of the ceiling; send (worker on) ≥ 15%, each invite captured within 2 s (p99);',
  'send with `--no-worker` ≥ 30% (its req/s on SQLite is in the scale section below). Each ratio target',
  'above its floor’s ratio cannot be met on this storage, whatever the route does.',
  '',
  '## Delivery pipeline',
  '',
  `16 clients, each POSTing an email-only invite and waiting for its email to reach a local SMTP sink`,
  `before the next, for ${DELIVERY_SECONDS} s after a 2 s warm-up (SQLite file, SMTP_URL set). The ceiling is`,
  'nodemailer alone (pooled, same defaults) sending the same rendered email with 16 sends in flight. Each',
  'run has its own sink, in a process of its own. Latency runs from the POST (or sendMail) to the acceptance.',
  '',
  deliveryRows.length ? deliveryTable : '(delivery section not run)',
  '',
  'Target: the pipeline sustains ≥ 70% of the ceiling.',
  '',
  scale
    ? scaleSection(scale, { requests: LIST_REQUESTS, duration: DURATION })
    : '## SQLite and PostgreSQL at scale\n\n(not run)\n',
  jobRows.length
    ? jobsSection(jobRows, DURATION)
    : '## Sends with the worker on, as the jobs table grows\n\n(not run)\n',
  batch ? batchSection(batch, DURATION) : '## Sending in batches\n\n(not run)\n',
  consoleRows.length
    ? consoleListSection(consoleRows, LIST_REQUESTS)
    : '## The Console’s Invites page as invites grow\n\n(not run)\n',
  startupRows.length ? startupSection(startupRows, STARTUP_RUNS) : '## Startup\n\n(not run)\n',
].join('\n');
writeFileSync(new URL('./results.md', import.meta.url), report);
console.log(`\n${report}`);
rmSync(dir, { recursive: true, force: true });
