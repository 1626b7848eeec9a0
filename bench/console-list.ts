import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../src/app.ts';
import { createKey } from '../src/auth/keys.service.ts';
import { closeDeps, createDeps } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { createMember } from '../src/members/members.service.ts';
import { percentile } from './lib.ts';
import { seedInvites } from './seed.ts';

const PASSWORD = 'correct horse battery';

/** The pages measured: a member who sees every invite (first page, a search) and one who sees their own. */
const PAGES = [
  ['every invite, first page', 'all@bench.example', '/console/invites'],
  ['every invite, email search', 'all@bench.example', '/console/invites?q=person12345%40'],
  ['own invites only', 'own@bench.example', '/console/invites'],
] as const;

export interface ConsoleListRow {
  invites: number;
  page: string;
  p50: number;
  p99: number;
}

/**
 * The Invites page's time to first byte (SQLite file) as the invites grow through `sizes`,
 * one signed-in browser asking `requests` times per page after 10 unmeasured asks.
 */
export async function measureConsoleList(opts: {
  sizes: number[];
  requests: number;
}): Promise<ConsoleListRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'invitekit-console-bench-'));
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    PUBLIC_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const deps = await createDeps(config);
  const app = await buildApp(deps);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const key = await createKey(deps, { name: 'bench' });
  for (const [email, role] of [
    ['all@bench.example', 'admin'],
    ['own@bench.example', 'operations_limited'],
  ] as const) {
    await createMember(deps, key.client_id, { email, name: role, role, password: PASSWORD });
  }

  async function signIn(email: string): Promise<string> {
    // After a long seed the kept-alive connection may be gone; the first ask may need a second try.
    const page = await fetch(`${base}/console`).catch(() => fetch(`${base}/console`));
    const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
    const csrf = /name="_csrf" value="([^"]*)"/.exec(await page.text())?.[1] ?? '';
    const res = await fetch(`${base}/console/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, email, password: PASSWORD }).toString(),
    });
    return [...cookies, ...res.headers.getSetCookie().map((c) => c.split(';')[0])].join('; ');
  }

  /** Median and p99 of the time to the answer's headers (its first byte), in ms. */
  async function ttfb(path: string, cookie: string) {
    const times: number[] = [];
    for (let i = 0; i < opts.requests + 10; i++) {
      const t = performance.now();
      const res = await fetch(`${base}${path}`, { headers: { cookie } });
      const took = performance.now() - t;
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      await res.arrayBuffer();
      if (i >= 10) times.push(took);
    }
    const at = (p: number) => Math.round(percentile(times, p) * 10) / 10;
    return { p50: at(50), p99: at(99) };
  }

  const rows: ConsoleListRow[] = [];
  let seeded = 0;
  let end = Date.now();
  try {
    for (const size of opts.sizes) {
      // Older invites go in behind the ones already there.
      const adding = size - seeded;
      await seedInvites(deps.db, key.client_id, adding, end);
      end -= adding * 1000;
      seeded = size;
      for (const [page, email, path] of PAGES) {
        rows.push({ invites: size, page, ...(await ttfb(path, await signIn(email))) });
      }
    }
  } finally {
    await app.close();
    await closeDeps(deps);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function consoleListSection(rows: ConsoleListRow[], requests: number): string {
  const smallest = Math.min(...rows.map((r) => r.invites));
  const p50At = (size: number, page: string) =>
    rows.find((r) => r.invites === size && r.page === page)?.p50 ?? 0;
  return [
    '## The Console’s Invites page as invites grow',
    '',
    `One signed-in browser, ${requests} requests per page after 10 unmeasured, SQLite file; time to the`,
    'first byte of the answer. Ratios are against the smallest size in the same run.',
    '',
    '| invites | page | TTFB p50 ms | p99 ms | p50 vs smallest |',
    '|---:|---|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.invites.toLocaleString('en-US')} | ${r.page} | ${r.p50} | ${r.p99} | ${(r.p50 / (p50At(smallest, r.page) || 1)).toFixed(2)} |`,
    ),
    '',
    'Target: p50 at 1,000,000 within 1.5× of 10,000.',
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = (process.env.BENCH_CONSOLE_SIZES ?? '10000,1000000').split(',').map(Number);
  const requests = Number(process.env.BENCH_CONSOLE_REQUESTS ?? 100);
  console.log(consoleListSection(await measureConsoleList({ sizes, requests }), requests));
}
