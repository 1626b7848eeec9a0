import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import autocannon from 'autocannon';

export async function freePort(): Promise<number> {
  const srv = createServer().listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  return port;
}

/** Starts a process and resolves once it prints `marker`. */
export async function startProcess(
  args: string[],
  env: Record<string, string>,
  marker: string,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes(marker)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready:\n${out}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
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
