import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey } from '../src/auth/keys.service.ts';
import { loadConfig } from '../src/config.ts';
import { closeDeps, createDeps } from '../src/deps.ts';
import { freePort, load, type Row, startProcess, table } from './lib.ts';
import { seedInvites } from './seed.ts';

/**
 * `npm run bench`: the API on a SQLite file with 100k invites against a bare Fastify
 * ceiling, all measured in this one run. Writes bench/results.md.
 */
const SEED = Number(process.env.BENCH_SEED ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';

const dir = mkdtempSync(join(tmpdir(), 'invitekit-bench-'));
const databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
const port = await freePort();
const env = { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL };

const deps = await createDeps(loadConfig({ ...env, LOG_LEVEL: 'warn' }));
const key = await createKey(deps, { name: 'bench' });
let t = performance.now();
const ids = await seedInvites(deps.db, key.client_id, SEED);
const seedSeconds = (performance.now() - t) / 1000;
await closeDeps(deps);
console.log(`seeded ${SEED} invites in ${seedSeconds.toFixed(1)} s`);

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

const pick = () => ids[Math.floor(Math.random() * ids.length)];
const send = JSON.stringify({ first_name: 'Bench', last_name: 'Mark', email: 'bench@example.com' });
const targets: [string, Parameters<typeof load>[1]][] = [
  [
    'ceiling: bare Fastify, same-sized JSON',
    { url: `http://127.0.0.1:${ceilingPort}/ceiling`, duration: DURATION },
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

const rows: Row[] = [];
for (const [name, opts] of targets) {
  await load(name, { ...opts, duration: 2 }); // warm-up: JIT, caches, SQLite pages
  t = performance.now();
  const row = await load(name, opts);
  rows.push(row);
  console.log(`${name}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
}
server.kill('SIGTERM');
ceiling.kill('SIGTERM');

const report = [
  '# Benchmark results',
  '',
  `Run by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`,
  `SQLite file seeded with ${SEED.toLocaleString('en-US')} invites by bulk insert in ${seedSeconds.toFixed(1)} s;`,
  `autocannon, 16 connections, ${DURATION} s per target after a 2 s warm-up; server LOG_LEVEL=${LOG_LEVEL}.`,
  'The ceiling is bare Fastify (no auth, database or schema) returning a JSON object the size of an invite.',
  '',
  table(rows, rows[0]!.rps),
  '',
  'Targets: retrieve ≥ 50% of the ceiling, send ≥ 25%.',
  '',
].join('\n');
writeFileSync(new URL('./results.md', import.meta.url), report);
console.log(`\n${report}`);
rmSync(dir, { recursive: true, force: true });
