import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './lib.ts';

/**
 * How fast `serve` is healthy after launch and what it holds when idle: the build
 * (dist/invitekit.js, what `npm start` runs after `npm ci`) against the TypeScript sources run
 * through the tsx loader (what a checkout being edited runs), each on a fresh SQLite file.
 */
export interface StartupRow {
  name: string;
  /** Milliseconds from spawn to the first 200 of /healthz, the median of the runs. */
  healthyMs: number;
  /** Resident memory after 3 s idle, MB, the median of the runs. */
  idleRssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function once(args: string[]): Promise<{ healthyMs: number; idleRssMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'invitekit-bench-start-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'start.db')}`,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    let healthyMs = Number.NaN;
    while (Number.isNaN(healthyMs)) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200)
          healthyMs = performance.now() - started;
      } catch {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    await new Promise((r) => setTimeout(r, 3000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    return { healthyMs, idleRssMb: kb / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureStartup(runs: number): Promise<StartupRow[]> {
  const targets = [
    { name: 'build: `node dist/invitekit.js serve`', args: ['dist/invitekit.js', 'serve'] },
    {
      name: 'sources: `node --import tsx src/main.ts serve`',
      args: ['--import', 'tsx', 'src/main.ts', 'serve'],
    },
  ];
  const rows: StartupRow[] = [];
  for (const t of targets) {
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await once(t.args));
    const row = {
      name: t.name,
      healthyMs: median(results.map((r) => r.healthyMs)),
      idleRssMb: median(results.map((r) => r.idleRssMb)),
    };
    console.log(
      `${row.name}: healthy in ${row.healthyMs.toFixed(0)} ms, idle RSS ${row.idleRssMb.toFixed(0)} MB`,
    );
    rows.push(row);
  }
  return rows;
}

export function startupSection(rows: StartupRow[], runs: number): string {
  const base = rows[1];
  return [
    '## Startup',
    '',
    `\`serve\` on a fresh SQLite file, the median of ${runs} launches: milliseconds from spawn to the first`,
    '200 of `/healthz`, and resident memory after 3 s idle. The sources through the tsx loader are the baseline.',
    '',
    '| run | healthy after ms | vs sources | idle RSS MB |',
    '|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.healthyMs.toFixed(0)} | ${base ? (r.healthyMs / base.healthyMs).toFixed(2) : '-'} | ${r.idleRssMb.toFixed(0)} |`,
    ),
    '',
    'Targets: healthy within 1,000 ms and under 120 MB idle, from the build.',
    '',
  ].join('\n');
}
