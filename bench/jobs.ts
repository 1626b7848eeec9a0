import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { newId } from '../src/lib/ids.ts';
import { freePort, load, type Row, startProcess } from './lib.ts';

const KEY = { id: 'bench-jobs', secret: 'bench-jobs-secret-0123456789' };

/**
 * Writes `count` finished jobs (done and dead-lettered, as a busy history leaves them) into
 * the file directly: the volume is the point, not how it got there.
 */
function seedFinishedJobs(file: string, clientId: string, count: number): void {
  const db = new Database(file);
  const insert = db.prepare(
    `insert into jobs (client_id, id, kind, lane, invite_id, delivery_id, payload, status, attempts, run_at,
       locked_until, locked_by, last_error, created_at, updated_at)
     values (?, ?, 'delivery.send', 'messages', ?, ?, '{}', ?, 1, ?, null, null, ?, ?, ?)`,
  );
  const now = Date.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const at = new Date(now - (count - i) * 10).toISOString();
      const dead = i % 50 === 0;
      insert.run(
        clientId,
        newId(),
        newId(),
        newId(),
        dead ? 'dead' : 'done',
        at,
        dead ? 'refused' : null,
        at,
        at,
      );
    }
  });
  for (let i = 0; i < count; i += 50_000) batch(i, Math.min(count, i + 50_000));
  db.close();
}

export interface JobsRow extends Row {
  finished: number;
}

/**
 * POST /v2/invites (email, captured) against `npm start` as a user runs it (SQLite file,
 * worker in the process), on a jobs table that already holds N finished jobs.
 */
export async function measureJobs(opts: {
  sizes: number[];
  duration: number;
  logLevel: string;
}): Promise<JobsRow[]> {
  const rows: JobsRow[] = [];
  for (const finished of opts.sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'invitekit-bench-jobs-'));
    const file = join(dir, 'jobs.db');
    const port = await freePort();
    const env = {
      DATABASE_URL: `sqlite:${file}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: opts.logLevel,
      RATE_LIMIT_PER_MINUTE: '0',
      INVITEKIT_API_KEY_ID: KEY.id,
      INVITEKIT_API_KEY_SECRET: KEY.secret,
    };
    const deps = await createDeps(loadConfig({ ...env, LOG_LEVEL: 'warn' }));
    const key = await deps.db
      .selectFrom('api_keys')
      .select('client_id')
      .where('id', '=', KEY.id)
      .executeTakeFirstOrThrow();
    await closeDeps(deps);
    const t = performance.now();
    seedFinishedJobs(file, key.client_id, finished);
    console.log(`seeded ${finished} finished jobs in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const server = await startProcess(['bin/invitekit.js', 'serve'], env, 'running at');
    const target = {
      url: `http://127.0.0.1:${port}/v2/invites`,
      method: 'POST' as const,
      headers: {
        authorization: `Basic ${Buffer.from(`${KEY.id}:${KEY.secret}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ first_name: 'Bench', last_name: 'Mark', email: 'bench@example.com' }),
    };
    await load('warm-up', { ...target, duration: 2 });
    const row = await load(`POST /v2/invites, worker on, ${finished.toLocaleString('en-US')} finished jobs`, {
      ...target,
      duration: opts.duration,
    });
    rows.push({ ...row, finished });
    console.log(`${row.name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function jobsSection(rows: JobsRow[], duration: number): string {
  const base = rows[0];
  const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '-');
  return [
    '## Sends with the worker on, as the jobs table grows',
    '',
    `\`npm start\` as a user runs it (SQLite file, worker in the process, captured email); autocannon,`,
    `16 connections, ${duration} s after a 2 s warm-up, each on a fresh file whose jobs table already holds N`,
    'finished jobs (done, and one in 50 dead-lettered). Ratios are against N = 0 in the same run.',
    '',
    '| finished jobs | req/s | p50 ms | p99 ms | p50 vs 0 | p99 vs 0 | errors |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.finished.toLocaleString('en-US')} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${ratio(r.p50, base?.p50)} | ${ratio(r.p99, base?.p99)} | ${r.errors} |`,
    ),
    '',
    'Target: p50 and p99 at 1,000,000 within 1.5× of 0.',
    '',
  ].join('\n');
}
