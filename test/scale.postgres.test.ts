import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, postgresAdminUrl } from './helpers/app.ts';
import { cliFor, type Process, type Server } from './helpers/cli.ts';
import { createDatabase } from './helpers/postgres.ts';
import { type SmtpSink, smtpSink } from './helpers/smtp.ts';

/**
 * Scale-out as deployed: two `serve --no-worker` API processes and two `worker` processes
 * on one PostgreSQL, all started at once on an empty database, emailing a real SMTP server.
 */
const INVITES = 5000;
const CLIENTS = 16;
const CONCURRENCY = 16;
const CACHE_TTL_SECONDS = 2;
const KEY = { api_key_id: 'scale-key', api_key_secret: 'scale-key-secret-0123456789' };

let database: Awaited<ReturnType<typeof createDatabase>>;
let db: pg.Client;
let sink: SmtpSink;
let cli: ReturnType<typeof cliFor>;
let apis: Server[];
let workers: Process[];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
const call = (api: Server, path: string, key = KEY, init: RequestInit = {}) =>
  fetch(`${api.url}${path}`, {
    ...init,
    headers: { authorization: basic(key), 'content-type': 'application/json' },
  });

beforeAll(async () => {
  database = await createDatabase(postgresAdminUrl()!);
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
  // Every send is still in flight for a moment, so the killed worker surely holds some.
  sink = await smtpSink({ parse: false, delayMs: 10 });
  cli = cliFor(database.url);
  const env = {
    INVITEKIT_API_KEY_ID: KEY.api_key_id,
    INVITEKIT_API_KEY_SECRET: KEY.api_key_secret,
    SMTP_URL: sink.url,
    AUTH_CACHE_TTL_SECONDS: String(CACHE_TTL_SECONDS),
    WORKER_LEASE_SECONDS: '5',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    WORKER_POLL_MS: '200',
    // One key sends all 5,000: the per-key request limit is not what this test is about.
    RATE_LIMIT_PER_MINUTE: '0',
  };
  // All four at once on the empty database: they migrate and create the key concurrently.
  const started = await Promise.all([
    cli.serve(env, ['--no-worker']),
    cli.serve(env, ['--no-worker']),
    cli.worker(env),
    cli.worker(env),
  ]);
  apis = started.slice(0, 2) as Server[];
  workers = started.slice(2) as Process[];
}, 60_000);

afterAll(async () => {
  cli?.killAll();
  await sink?.down();
  await db?.end();
  await database?.drop();
});

/** POSTs the invites from CLIENTS concurrent clients, alternating between the two APIs. */
async function sendAll(): Promise<string[]> {
  const deliveries: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = next++; i < INVITES; i = next++) {
        const body = JSON.stringify({ first_name: 'Scale', last_name: `N${i}`, email: `p${i}@example.com` });
        const res = await call(apis[c % 2]!, '/v2/invites', KEY, { method: 'POST', body });
        expect(res.status).toBe(200);
        const invite = (await res.json()) as { deliveries: { id: string }[] };
        deliveries.push(invite.deliveries[0]!.id);
      }
    }),
  );
  return deliveries;
}

/** Kills the first worker mid-run once it holds leases; the deliveries it held then. */
async function killWorkerMidRun(): Promise<Set<string>> {
  const victim = workers[0]!;
  const mine = `%:${victim.pid}:%`;
  const held = `select delivery_id from jobs where status = 'running' and locked_by like $1`;
  while (sink.byMessageId.size < INVITES / 5 || (await db.query(held, [mine])).rowCount! < 4) {
    if (sink.byMessageId.size === INVITES) throw new Error('the run ended before the worker held 4 jobs');
    await sleep(10);
  }
  await victim.kill();
  return new Set((await db.query(held, [mine])).rows.map((r) => r.delivery_id as string));
}

describe('two APIs and two workers on one PostgreSQL', () => {
  it('delivers 5,000 invites sent through both APIs, each once, though a worker is killed mid-run', async () => {
    const [deliveries, held] = await Promise.all([sendAll(), killWorkerMidRun()]);
    expect(new Set(deliveries).size).toBe(INVITES);
    expect(held.size).toBeGreaterThan(0);
    expect(held.size).toBeLessThanOrEqual(CONCURRENCY);

    // The survivor takes over the dead worker's jobs once their leases run out.
    const messageId = (d: string) => `<${d}@invitekit>`;
    while (deliveries.some((d) => !sink.byMessageId.has(messageId(d)))) await sleep(100);
    while ((await count(`select count(*) as n from jobs where status <> 'done'`)) > 0) await sleep(100);

    expect(sink.byMessageId.size).toBe(INVITES);
    const twice = deliveries.filter((d) => sink.byMessageId.get(messageId(d))! > 1);
    // Only a send the dead worker had begun may have gone out again.
    for (const d of twice) expect(held.has(d), `${d} sent again though no dead worker held it`).toBe(true);
    expect(Math.max(...deliveries.map((d) => sink.byMessageId.get(messageId(d))!))).toBeLessThanOrEqual(2);
    expect(await count(`select count(*) as n from deliveries where status <> 'sent'`)).toBe(0);
  }, 180_000);

  it('pages through every invite following each `next` on the other API', async () => {
    const seen = new Set<string>();
    let path: string | null = '/v2/invites?limit=200';
    for (let page = 0; path; page++) {
      const res = await call(apis[page % 2]!, path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { next: string | null; results: { id: string }[] };
      for (const r of body.results) seen.add(r.id);
      path = body.next ? new URL(body.next).pathname + new URL(body.next).search : null;
    }
    expect(seen.size).toBe(INVITES);
  });

  it('refuses a key revoked from the CLI on both APIs once AUTH_CACHE_TTL_SECONDS has passed', async () => {
    const keys = JSON.parse(await cli.ok(['keys', 'list', '--json'])) as { id: string; client_id: string }[];
    const clientId = keys.find((k) => k.id === KEY.api_key_id)!.client_id;
    const key = JSON.parse(
      await cli.ok(['keys', 'create', '--name', 'revocable', '--client', clientId, '--json']),
    );
    // Both APIs verify the key and cache it.
    for (const api of apis) expect((await call(api, '/v2/invites?limit=1', key)).status).toBe(200);

    await cli.ok(['keys', 'revoke', key.api_key_id]);
    await sleep(CACHE_TTL_SECONDS * 1000);
    for (const api of apis) expect((await call(api, '/v2/invites?limit=1', key)).status).toBe(401);
    expect((await call(apis[0]!, '/v2/invites?limit=1')).status).toBe(200);
  });
});
