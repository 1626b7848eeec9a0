import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { shiftedClock } from '../src/lib/client-time.ts';
import { systemClock } from '../src/lib/clock.ts';
import { issueUserToken } from '../src/users/tokens.ts';
import { freePort, load, type Row, startProcess } from './lib.ts';

const KEY = { id: 'bench-batch', secret: 'bench-batch-secret-0123456789' };
/** As the other API targets are loaded. */
const SINGLE_CONNECTIONS = 16;
/** A few uploads at once: 16 batches of 100 in flight would only queue for the write lock. */
const BATCH_CONNECTIONS = 4;
const auth = `Basic ${Buffer.from(`${KEY.id}:${KEY.secret}`).toString('base64')}`;
const invite = (i: number) => ({
  first_name: 'Bench',
  last_name: 'Mark',
  email: `bench-${i}@example.com`,
  phone_number: '212-555-5555',
});

export interface BatchResult {
  size: number;
  single: Row;
  batch: Row;
  /** Invites a second each way. */
  singlePerSecond: number;
  batchPerSecond: number;
  /** Microseconds to sign one user token, the part of an answer that is per invite and not SQL. */
  tokenMicros: number;
  /**
   * The server's CPU time per invite each way, in microseconds (Linux only): unlike invites a
   * second, it does not move with what else the machine runs meanwhile.
   */
  singleCpuMicros?: number;
  batchCpuMicros?: number;
}

/** Clock ticks a second in /proc (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user and system) a process has used so far; undefined where /proc is not there. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** Invites a second `path` takes with `body`, against `serve --no-worker` on a fresh SQLite file. */
async function measure(
  name: string,
  path: string,
  body: string,
  opts: { duration: number; logLevel: string; connections: number },
) {
  const dir = mkdtempSync(join(tmpdir(), 'invitekit-bench-batch-'));
  const port = await freePort();
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'batch.db')}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: opts.logLevel,
    RATE_LIMIT_PER_MINUTE: '0',
    INVITEKIT_API_KEY_ID: KEY.id,
    INVITEKIT_API_KEY_SECRET: KEY.secret,
  };
  // Migrates the file and creates the key before the server starts.
  await closeDeps(await createDeps(loadConfig({ ...env, LOG_LEVEL: 'warn' })));
  const server = await startProcess(['bin/invitekit.js', 'serve', '--no-worker'], env, 'running at');
  const target = {
    url: `http://127.0.0.1:${port}${path}`,
    method: 'POST' as const,
    headers: { authorization: auth, 'content-type': 'application/json' },
    body,
  };
  try {
    // A batch can take seconds on a loaded machine: it is slow, not failed.
    const run = { ...target, connections: opts.connections, timeout: 60 };
    await load('warm-up', { ...run, duration: 2 });
    const cpuBefore = cpuSeconds(server.pid);
    const row = await load(name, { ...run, duration: opts.duration });
    const cpuAfter = cpuSeconds(server.pid);
    const requests = row.rps * opts.duration;
    const cpuPerRequestMicros =
      cpuBefore === undefined || cpuAfter === undefined || requests === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1e6) / requests;
    console.log(`${name}: ${row.rps.toFixed(1)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms`);
    return { row, cpuPerRequestMicros };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What signing the user token every answered invite carries costs, in this process. */
async function tokenMicros(): Promise<number> {
  const deps = { clock: shiftedClock(systemClock), userTokenKey: randomBytes(32) };
  const n = 20_000;
  for (let i = 0; i < 1000; i++) await issueUserToken(deps, 'client', 'user');
  const t = performance.now();
  for (let i = 0; i < n; i++) await issueUserToken(deps, 'client', 'user');
  return ((performance.now() - t) * 1000) / n;
}

/**
 * `POST /v2/invites` against `POST /v2/invites/batch` with `size` invites a request (email and
 * SMS each), in invites a second, each on a fresh SQLite file with the worker off: this
 * measures what the API accepts, and the delivery pipeline has its own section.
 */
export async function measureBatch(opts: { size: number; duration: number; logLevel: string }) {
  const { row: single, cpuPerRequestMicros: singleCpu } = await measure(
    'POST /v2/invites',
    '/v2/invites',
    JSON.stringify(invite(0)),
    {
      ...opts,
      connections: SINGLE_CONNECTIONS,
    },
  );
  const many = JSON.stringify({ invites: Array.from({ length: opts.size }, (_, i) => invite(i)) });
  const { row: batch, cpuPerRequestMicros: batchCpu } = await measure(
    `POST /v2/invites/batch (${opts.size} a request)`,
    '/v2/invites/batch',
    many,
    { ...opts, connections: BATCH_CONNECTIONS },
  );
  const result: BatchResult = {
    size: opts.size,
    single,
    batch,
    singlePerSecond: single.rps,
    batchPerSecond: batch.rps * opts.size,
    tokenMicros: await tokenMicros(),
    singleCpuMicros: singleCpu,
    batchCpuMicros: batchCpu === undefined ? undefined : batchCpu / opts.size,
  };
  console.log(
    `batch: ${result.batchPerSecond.toFixed(0)} invites/s against ${result.singlePerSecond.toFixed(0)} ` +
      `(${(result.batchPerSecond / result.singlePerSecond).toFixed(1)}×); a user token costs ${result.tokenMicros.toFixed(1)} µs`,
  );
  const cpu = cpuLine(result);
  if (cpu) console.log(cpu);
  return result;
}

function cpuLine(r: BatchResult): string | undefined {
  if (r.singleCpuMicros === undefined || r.batchCpuMicros === undefined) return undefined;
  return (
    `server CPU per invite: ${r.singleCpuMicros.toFixed(0)} µs single, ${r.batchCpuMicros.toFixed(0)} µs in a batch ` +
    `(${(r.singleCpuMicros / r.batchCpuMicros).toFixed(1)}×)`
  );
}

export function batchSection(r: BatchResult, duration: number): string {
  const perInviteMicros = 1e6 / r.batchPerSecond;
  return [
    '## Sending in batches',
    '',
    `\`serve --no-worker\` on a fresh SQLite file per target; autocannon, ${duration} s after a 2 s warm-up,`,
    `${SINGLE_CONNECTIONS} connections sending single invites, ${BATCH_CONNECTIONS} sending batches of ${r.size}. Each invite has an`,
    'email and a phone number. The worker is off: this is what the API accepts; the pipeline has its own section.',
    '',
    '| target | req/s | invites/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...[
      { row: r.single, perSecond: r.singlePerSecond },
      { row: r.batch, perSecond: r.batchPerSecond },
    ].map(
      ({ row, perSecond }) =>
        `| ${row.name} | ${row.rps.toFixed(1)} | ${perSecond.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.errors} |`,
    ),
    '',
    `Batch against single: ${(r.batchPerSecond / r.singlePerSecond).toFixed(1)}× the invites a second. Target: ≥ 10×.`,
    ...(cpuLine(r) ? [`The ${cpuLine(r)}: the ratio that does not move with the machine's other load.`] : []),
    `Signing the user token each invite object carries costs ${r.tokenMicros.toFixed(1)} µs, ` +
      `${((r.tokenMicros / perInviteMicros) * 100).toFixed(1)}% of the ${perInviteMicros.toFixed(0)} µs a batch spends per invite.`,
    '',
  ].join('\n');
}
