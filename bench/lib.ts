import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

export async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

/**
 * Starts a process and resolves once it prints `marker`. Its output goes to a file, as a
 * server's logs would in production: a pipe that the busy load generator reads late would
 * stall the server's log writes and measure the pipe, not the server.
 */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  marker: string,
): Promise<ChildProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'invitekit-bench-log-'));
  const logFile = join(dir, 'out.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  for (;;) {
    const out = readFileSync(logFile, 'utf8');
    if (out.includes(marker)) return child;
    if (exited !== undefined) throw new Error(`process exited (${exited}) before it was ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

export async function load(name: string, opts: autocannon.Options & { duration: number }): Promise<Row> {
  const r = await autocannon({ connections: 16, pipelining: 1, ...opts });
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

export function table(rows: Row[], ceiling: number): string {
  const lines = [
    '| target | req/s | p50 ms | p99 ms | vs ceiling | errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${((r.rps / ceiling) * 100).toFixed(0)}% | ${r.errors} |`,
    ),
  ];
  return lines.join('\n');
}

/** The `p`th percentile (0-100) of `values`, in any order; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
